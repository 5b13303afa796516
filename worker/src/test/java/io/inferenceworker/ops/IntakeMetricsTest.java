package io.inferenceworker.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inferenceworker.intake.Intake;
import io.inferenceworker.testkit.DevStack;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A worker with its intake running: the in-flight gauge, the consumer's lag per partition, liveness. */
class IntakeMetricsTest {

    @Test
    void publishesInFlightAndLagAndReportsTheIntakeAlive() {
        DevStack stack = DevStack.shared();
        String prefix = "ops-" + UUID.randomUUID().toString().substring(0, 8);
        String requests = prefix + ".requests";
        stack.kafka().createTopic(requests, 2);
        Map<String, Object> p = OpsWorker.properties(stack, prefix);
        p.put("topics.requests", requests);
        p.put("ops.kafka-metrics-refresh", "200ms");
        p.put("ops.intake-start-grace", "0s");

        EmbeddedServer server = ApplicationContext.builder().properties(p).deduceEnvironment(false)
                .environments("test").run(EmbeddedServer.class);
        try {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                OpsHttp.Answer liveness = OpsHttp.get(server, "/health/liveness");
                assertThat(liveness.status()).as(liveness.body()).isEqualTo(200);
                assertThat(liveness.json().at("/details/intake/details/state").asText()).isEqualTo("running");
            });
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                String metrics = OpsHttp.get(server, "/prometheus").body();
                assertThat(metrics).contains("inference_jobs_in_flight 0.0")
                        .contains("inference_jobs_in_flight_limit 1024.0");
                for (int partition = 0; partition < 2; partition++) {
                    assertThat(metrics).containsPattern("kafka_consumer_fetch_manager_records_lag\\{[^}]*partition=\""
                            + partition + "\"[^}]*topic=\"" + requests.replace(".", "\\.") + "\"[^}]*} ");
                }
                assertThat(metrics).contains("kafka_producer_");
            });

            server.getApplicationContext().getBean(Intake.class).stop(Duration.ZERO);

            OpsHttp.Answer liveness = OpsHttp.get(server, "/health/liveness");
            assertThat(liveness.status()).as(liveness.body()).isEqualTo(503);
            assertThat(liveness.json().at("/details/intake/details/state").asText()).isEqualTo("stopped");
        } finally {
            server.getApplicationContext().close();
        }
    }
}
