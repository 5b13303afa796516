package io.inferenceworker.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inferenceworker.job.JobEvents;
import io.inferenceworker.testkit.DevStack;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The worker's management endpoints over HTTP, with the intake disabled, against the shared dev stack and against a
 * Kafka address where nothing listens.
 */
class OpsEndpointsTest {
    private static final String KAFKA_SECRET = "s3cret-kafka-pw";
    private static final String REGISTRY_SECRET = "s3cret-registry-pw";

    private static EmbeddedServer healthy;
    private static EmbeddedServer kafkaDown;

    @BeforeAll
    static void startWorkers() throws IOException {
        DevStack stack = DevStack.shared();
        healthy = start(stack.kafka().bootstrapServers());
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        kafkaDown = start("127.0.0.1:" + deadPort);
    }

    @AfterAll
    static void stopWorkers() {
        if (healthy != null) {
            healthy.getApplicationContext().close();
        }
        if (kafkaDown != null) {
            kafkaDown.getApplicationContext().close();
        }
    }

    private static EmbeddedServer start(String bootstrapServers) {
        Map<String, Object> p = new HashMap<>();
        p.put("worker.enabled", false);
        p.put("micronaut.server.port", -1);
        p.put("kafka.bootstrap-servers", bootstrapServers);
        p.put("kafka.properties.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\""
                        + KAFKA_SECRET + "\";");
        p.put("schema-registry.url", DevStack.shared().registry().url());
        p.put("schema-registry.properties.basic.auth.credentials.source", "USER_INFO");
        p.put("schema-registry.properties.basic.auth.user.info", "worker:" + REGISTRY_SECRET);
        p.put("ops.health-timeout", "1s");
        return ApplicationContext.builder().properties(p).deduceEnvironment(false).environments("test")
                .run(EmbeddedServer.class);
    }

    @Test
    void readinessIsUpWhenKafkaAndTheRegistryAnswer() {
        OpsHttp.Answer answer = OpsHttp.get(healthy, "/health/readiness");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode json = answer.json();
        assertThat(json.at("/status").asText()).isEqualTo("UP");
        assertThat(json.at("/details/kafka/status").asText()).isEqualTo("UP");
        assertThat(json.at("/details/kafka/details/brokers").asInt()).isEqualTo(1);
        assertThat(json.at("/details/schemaRegistry/status").asText()).isEqualTo("UP");
        assertThat(json.at("/details/intake").isMissingNode()).as("liveness is not readiness").isTrue();
    }

    @Test
    void readinessIsDownWhenKafkaIsUnreachable() {
        OpsHttp.Answer answer = OpsHttp.get(kafkaDown, "/health/readiness");

        assertThat(answer.status()).as(answer.body()).isEqualTo(503);
        JsonNode json = answer.json();
        assertThat(json.at("/status").asText()).isEqualTo("DOWN");
        assertThat(json.at("/details/kafka/status").asText()).isEqualTo("DOWN");
        assertThat(json.at("/details/kafka/details/error").asText()).isEqualTo("TimeoutException");
        assertThat(json.at("/details/schemaRegistry/status").asText()).isEqualTo("UP");
    }

    @Test
    void livenessIsUpWithTheIntakeDisabledWhateverKafkaDoes() {
        for (EmbeddedServer server : new EmbeddedServer[] {healthy, kafkaDown}) {
            OpsHttp.Answer answer = OpsHttp.get(server, "/health/liveness");

            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            assertThat(answer.json().at("/details/intake/details/state").asText()).isEqualTo("disabled");
        }
    }

    @Test
    void healthNeverShowsCredentials() {
        for (EmbeddedServer server : new EmbeddedServer[] {healthy, kafkaDown}) {
            for (String path : new String[] {"/health", "/health/readiness", "/health/liveness", "/prometheus"}) {
                assertThat(OpsHttp.get(server, path).body()).as(path)
                        .doesNotContain(KAFKA_SECRET).doesNotContain(REGISTRY_SECRET);
            }
        }
    }

    @Test
    void prometheusShowsTheJobMetrics() {
        JobEvents events = healthy.getApplicationContext().getBean(JobEvents.class);
        assertThat(events).isInstanceOf(MeterJobEvents.class);
        events.onOutcome("ops-test", "model-a", null, "succeeded", Duration.ofSeconds(2));
        events.onAttempt("ops-test", "model-a", "rate_limited", 429, Duration.ofMillis(120));
        events.onRetry("ops-test", "rate_limited");
        events.onUsage(UsageRecords.usage("ops-test", "model-a", 7, 11, 0.02), "model-a", "vultr");
        events.onDeadLetter("decode");

        OpsHttp.Answer answer = OpsHttp.get(healthy, "/prometheus");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body())
                .contains("inference_jobs_total{outcome=\"succeeded\",provider=\"ops-test\"} 1.0")
                .contains("inference_provider_latency_seconds_bucket{http_status=\"429\",model=\"model-a\","
                        + "provider=\"ops-test\",status=\"rate_limited\",le=\"120.0\"} 1")
                .contains("inference_provider_retries_total{code=\"rate_limited\",provider=\"ops-test\"} 1.0")
                .contains("inference_tokens_total{direction=\"in\",model=\"model-a\",provider=\"ops-test\"} 7.0")
                .contains("inference_cost_total{currency=\"USD\",model=\"model-a\",provider=\"ops-test\"} 0.02")
                .contains("inference_dead_letters_total{stage=\"decode\"} 1.0")
                .contains("# HELP inference_jobs_total");
    }

    @Test
    void otherManagementEndpointsStayClosed() {
        assertThat(OpsHttp.get(healthy, "/beans").status()).isIn(401, 404);
        assertThat(OpsHttp.get(healthy, "/env").status()).isIn(401, 404);
    }
}
