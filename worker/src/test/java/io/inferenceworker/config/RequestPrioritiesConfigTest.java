package io.inferenceworker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code topics.request-priorities}: dotted topic names bind whole, a single {@code topics.requests} still works. */
class RequestPrioritiesConfigTest {

    private static ApplicationContext run(Map<String, Object> extra) {
        Map<String, Object> p = new java.util.HashMap<>(Map.of("worker.enabled", "false", "votes.enabled", "false"));
        p.putAll(extra);
        return ApplicationContext.run(p);
    }

    @Test
    void withoutPrioritiesTheOneRequestTopicHasWeightOne() {
        try (ApplicationContext ctx = run(Map.of("topics.requests", "acme.requests"))) {
            TopicSettings topics = ctx.getBean(TopicSettings.class);
            assertThat(topics.getRequestPriorities()).isEmpty();
            assertThat(topics.requestTopics()).containsExactly(Map.entry("acme.requests", 1));
        }
    }

    @Test
    void prioritiesReplaceTheRequestTopicAndKeepDottedNamesWhole() {
        try (ApplicationContext ctx = run(Map.of(
                "topics.request-priorities.inference.requests.interactive", "8",
                "topics.request-priorities.inference.requests.batch", 1))) {
            assertThat(ctx.getBean(TopicSettings.class).requestTopics()).containsOnly(
                    Map.entry("inference.requests.interactive", 8), Map.entry("inference.requests.batch", 1));
        }
    }

    @Test
    void aWeightBelowOneStopsTheStartWithAClearError() {
        assertThatThrownBy(() -> {
            try (ApplicationContext ctx = run(Map.of("topics.request-priorities.acme.batch", "0"))) {
                ctx.getBean(TopicSettings.class);
            }
        }).hasStackTraceContaining("topics.request-priorities.acme.batch must be a weight >= 1, was 0");
    }
}
