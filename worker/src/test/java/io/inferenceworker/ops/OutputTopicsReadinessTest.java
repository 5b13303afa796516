package io.inferenceworker.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferenceworker.config.KafkaSettings;
import io.inferenceworker.testkit.DevStack;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthResult;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Against the shared embedded broker (no authorizer: it grants every operation). */
class OutputTopicsReadinessTest {

    @Test
    void downNamingTheMissingTopicThenUpOnceItExists() throws Exception {
        DevStack stack = DevStack.shared();
        String present = "out-present-" + UUID.randomUUID(), missing = "out-missing-" + UUID.randomUUID();
        stack.kafka().createTopic(present, 1);
        KafkaSettings kafka = new KafkaSettings();
        kafka.setBootstrapServers(stack.kafka().bootstrapServers());
        TopicAccessCheck indicator = TopicReadinessFactory.outputTopicsCheck(kafka, "topics-test",
                List.of(present, missing), Duration.ofSeconds(5), Duration.ofMinutes(10), Clock.systemUTC());
        try {
            HealthResult down = indicator.check().get(10, TimeUnit.SECONDS);
            assertThat(down.getStatus()).isEqualTo(HealthStatus.DOWN);
            assertThat(details(down)).containsEntry("missing", List.of(missing)).doesNotContainKey("notWritable");

            stack.kafka().createTopic(missing, 1);
            HealthResult up = indicator.check().get(10, TimeUnit.SECONDS);
            assertThat(up.getStatus()).isEqualTo(HealthStatus.UP);
            assertThat(details(up)).containsEntry("topics", List.of(present, missing));
            // an UP result is reused within the refresh interval
            assertThat(indicator.check().get(10, TimeUnit.SECONDS)).isSameAs(up);
        } finally {
            indicator.close();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> details(HealthResult result) {
        return (Map<String, Object>) result.getDetails();
    }
}
