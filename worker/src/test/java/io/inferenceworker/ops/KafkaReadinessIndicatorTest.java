package io.inferenceworker.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferenceworker.config.KafkaSettings;
import io.inferenceworker.config.WorkerSettings;
import io.inferenceworker.testkit.DevStack;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthResult;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Against the shared embedded broker, and against a port where nothing listens. */
class KafkaReadinessIndicatorTest {

    @Test
    void upWhenTheClusterAnswers() throws Exception {
        KafkaReadinessIndicator indicator = indicator(DevStack.shared().kafka().bootstrapServers(), Map.of());
        try {
            HealthResult first = indicator.check().get(10, TimeUnit.SECONDS);
            HealthResult second = indicator.check().get(10, TimeUnit.SECONDS);

            assertThat(first.getStatus()).isEqualTo(HealthStatus.UP);
            assertThat(details(first)).containsKey("clusterId").containsEntry("brokers", 1);
            assertThat(second.getStatus()).isEqualTo(HealthStatus.UP);
        } finally {
            indicator.close();
        }
    }

    @Test
    void downWithinTheTimeoutWhenNothingListens() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        KafkaReadinessIndicator indicator = indicator("127.0.0.1:" + port,
                Map.of("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                        + "username=\"u\" password=\"s3cret-kafka\";"));
        try {
            long started = System.nanoTime();
            HealthResult result = indicator.check().get(10, TimeUnit.SECONDS);

            assertThat(result.getStatus()).isEqualTo(HealthStatus.DOWN);
            assertThat(details(result)).containsEntry("error", "TimeoutException");
            assertThat(String.valueOf(result.getDetails())).doesNotContain("s3cret-kafka");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        } finally {
            indicator.close();
        }
    }

    @Test
    void downOnceClosed() throws Exception {
        KafkaReadinessIndicator indicator = indicator(DevStack.shared().kafka().bootstrapServers(), Map.of());
        indicator.close();

        assertThat(indicator.check().get(10, TimeUnit.SECONDS).getStatus()).isEqualTo(HealthStatus.DOWN);
    }

    private static KafkaReadinessIndicator indicator(String bootstrap, Map<String, String> properties) {
        KafkaSettings kafka = new KafkaSettings();
        kafka.setBootstrapServers(bootstrap);
        kafka.setProperties(properties);
        OpsSettings ops = new OpsSettings();
        ops.setHealthTimeout(Duration.ofSeconds(1));
        return new KafkaReadinessIndicator(kafka, new WorkerSettings(), ops);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> details(HealthResult result) {
        return (Map<String, Object>) result.getDetails();
    }
}
