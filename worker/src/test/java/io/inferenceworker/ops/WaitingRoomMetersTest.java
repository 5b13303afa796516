package io.inferenceworker.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The waiting room of each provider instance as gauges (issue 13, fairness). */
class WaitingRoomMetersTest {

    @Test
    void exposesEachInstancesWaitingJobsAndCapacityLive() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MeterJobEvents events = new MeterJobEvents(prometheus, 100, 32);
        AtomicInteger waiting = new AtomicInteger(3);
        events.onWaitingRoom("vultr", 512, waiting::get);

        assertThat(prometheus.scrape()).contains("inference_provider_waiting{provider=\"vultr\"} 3.0")
                .contains("inference_provider_waiting_capacity{provider=\"vultr\"} 512.0");
        waiting.set(17);
        assertThat(prometheus.scrape()).contains("inference_provider_waiting{provider=\"vultr\"} 17.0");
    }
}
