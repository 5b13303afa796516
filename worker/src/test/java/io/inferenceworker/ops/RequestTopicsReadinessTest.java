package io.inferenceworker.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inferenceworker.testkit.DevStack;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Readiness names a request topic that does not exist (a misspelt priority topic would otherwise go unread). */
class RequestTopicsReadinessTest {

    @Test
    void aMissingPriorityTopicMakesTheWorkerNotReadyUntilItExists() {
        DevStack stack = DevStack.shared();
        String prefix = "rt-" + UUID.randomUUID().toString().substring(0, 8);
        String interactive = prefix + ".interactive";
        String batch = prefix + ".batch";
        stack.kafka().createTopic(interactive, 1);
        Map<String, Object> p = OpsWorker.properties(stack, prefix);
        p.put("topics.request-priorities." + interactive, 8);
        p.put("topics.request-priorities." + batch, 1);
        p.put("votes.enabled", "false");

        EmbeddedServer server = ApplicationContext.builder().properties(p).deduceEnvironment(false)
                .environments("test").run(EmbeddedServer.class);
        try {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                OpsHttp.Answer readiness = OpsHttp.get(server, "/health/readiness");
                assertThat(readiness.status()).as(readiness.body()).isEqualTo(503);
                assertThat(readiness.json().at("/details/requestTopics/details/missing/0").asText())
                        .isEqualTo(batch);
            });

            stack.kafka().createTopic(batch, 1);

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                OpsHttp.Answer readiness = OpsHttp.get(server, "/health/readiness");
                assertThat(readiness.status()).as(readiness.body()).isEqualTo(200);
                assertThat(readiness.json().at("/details/requestTopics/status").asText()).isEqualTo("UP");
            });
        } finally {
            server.getApplicationContext().close();
        }
    }
}
