package io.inferenceworker.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inferenceworker.config.TopicSettings;
import io.inferenceworker.schemas.CompletionRequest;
import io.inferenceworker.schemas.Message;
import io.inferenceworker.schemas.Role;
import io.micronaut.context.ApplicationContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Where a job's outputs go, decided from configuration bound by Micronaut as the worker binds it: the default topics,
 * a tenant's own (unset ones falling back), and topics a request names, granted only by the allow-list.
 */
class DestinationsTest {
    private static final String PATTERN = "^team-[a-z0-9-]+\\.inference\\.(results|usage|chunks)$";
    private static final OutputTopics DEFAULTS =
            new OutputTopics("inference.results", "inference.usage", "inference.chunks");
    private static final OutputTopics TEAM_A = new OutputTopics("team-a.inference.results",
            "team-a.inference.usage", "team-a.inference.chunks");

    @Test
    void aTenantsTopicsComeFromItsTopicsBlockAndUnsetOnesFallBackToTheDefaults() {
        Destinations d = bound(Map.of());

        assertThat(d.decide(request().setTenant("team-a").build()))
                .isEqualTo(new Destinations.Decision.Granted(TEAM_A));
        // Micronaut binds tenants.TeamA as team-a: a request's tenant is matched the same way
        assertThat(d.decide(request().setTenant("Team_A").build()).topics()).isEqualTo(TEAM_A);
        assertThat(d.decide(request().setTenant("TeamB").build()).topics().results())
                .isEqualTo("team-b.inference.results");
        assertThat(d.decide(request().setTenant("team-b").build())).isEqualTo(new Destinations.Decision.Granted(
                new OutputTopics("team-b.inference.results", "inference.usage", "inference.chunks")));
        // a tenant configured only for other settings (its limits), one not configured, and none: the defaults
        assertThat(d.decide(request().setTenant("team-c").build()).topics()).isEqualTo(DEFAULTS);
        assertThat(d.decide(request().setTenant("nobody").build()).topics()).isEqualTo(DEFAULTS);
        assertThat(d.decide(request().build()).topics()).isEqualTo(DEFAULTS);
        assertThat(d.configuredTopics()).containsExactly("inference.results", "inference.usage", "inference.chunks",
                "team-a.inference.results", "team-a.inference.usage", "team-a.inference.chunks",
                "team-b.inference.results");
    }

    @Test
    void withoutAPatternEveryRequestNamingATopicIsRefusedAndItsResultGoesToItsTenantsTopic() {
        Destinations d = bound(Map.of());

        Destinations.Decision decision = d.decide(request().setTenant("team-a")
                .setResultsTopic("team-a.inference.results").build());

        assertThat(decision).isInstanceOf(Destinations.Decision.Refused.class);
        Destinations.Decision.Refused refused = (Destinations.Decision.Refused) decision;
        assertThat(refused.parameter()).isEqualTo("results_topic");
        assertThat(refused.reason()).isEqualTo("results_topic 'team-a.inference.results' is not allowed: this "
                + "worker takes no per-request output topics (topics.reply-topic-pattern is not set)");
        assertThat(refused.topics()).isEqualTo(TEAM_A);
    }

    @Test
    void aPatternGrantsMatchingTopicsEachOnItsOwnAndTheOthersFallBack() {
        Destinations d = bound(Map.of("topics.reply-topic-pattern", PATTERN));

        assertThat(d.decide(request().setResultsTopic("team-x.inference.results").build())).isEqualTo(
                new Destinations.Decision.Granted(new OutputTopics("team-x.inference.results", "inference.usage",
                        "inference.chunks")));
        assertThat(d.decide(request().setTenant("team-a").setChunksTopic("team-x.inference.chunks")
                .setUsageTopic("team-x.inference.usage").build())).isEqualTo(new Destinations.Decision.Granted(
                new OutputTopics("team-a.inference.results", "team-x.inference.usage", "team-x.inference.chunks")));
    }

    @Test
    void aTopicNotMatchingThePatternAsAWholeIsRefusedNamingItsParameter() {
        Destinations d = bound(Map.of("topics.reply-topic-pattern", "team-[a-z]+\\.inference\\.results"));

        assertRefused(d, request().setUsageTopic("inference.usage").build(), "usage_topic",
                "usage_topic 'inference.usage' is not allowed: it does not match the allowed pattern "
                        + "team-[a-z]+\\.inference\\.results");
        // the whole name must match, not a part of it
        assertRefused(d, request().setResultsTopic("team-a.inference.results.stolen").build(), "results_topic",
                "results_topic 'team-a.inference.results.stolen' is not allowed: it does not match the allowed "
                        + "pattern team-[a-z]+\\.inference\\.results");
        // one refused topic refuses the request, even when another is granted
        assertRefused(d, request().setResultsTopic("team-a.inference.results").setChunksTopic("x").build(),
                "chunks_topic", "chunks_topic 'x' is not allowed: it does not match the allowed pattern "
                        + "team-[a-z]+\\.inference\\.results");
    }

    @Test
    void illegalNamesTheWorkersOwnTopicsAndConfiguredTopicsOfAnotherKindAreRefusedWhateverThePattern() {
        Destinations d = bound(Map.of("topics.reply-topic-pattern", "(?s).*"));

        assertRefused(d, request().setResultsTopic("inference.requests").build(), "results_topic",
                "results_topic 'inference.requests' is not allowed: it is one of the worker's input, vote or "
                        + "dead-letter topics");
        assertRefused(d, request().setResultsTopic("inference.requests.dlq").build(), "results_topic",
                "results_topic 'inference.requests.dlq' is not allowed: it is one of the worker's input, vote or "
                        + "dead-letter topics");
        assertRefused(d, request().setResultsTopic("inference.votes.requests").build(), "results_topic",
                "results_topic 'inference.votes.requests' is not allowed: it is one of the worker's input, vote "
                        + "or dead-letter topics");
        assertRefused(d, request().setResultsTopic("inference.votes").build(), "results_topic",
                "results_topic 'inference.votes' is not allowed: it is one of the worker's input, vote or "
                        + "dead-letter topics");
        // a configured output topic of another kind: one record type per topic (and registry subject)
        assertRefused(d, request().setResultsTopic("team-a.inference.usage").build(), "results_topic",
                "results_topic 'team-a.inference.usage' is not allowed: it is a configured usage topic");
        assertRefused(d, request().setChunksTopic("inference.results").build(), "chunks_topic",
                "chunks_topic 'inference.results' is not allowed: it is a configured results topic");
        // ... while one of the same kind is granted
        assertThat(d.decide(request().setResultsTopic("team-b.inference.results").build()).topics().results())
                .isEqualTo("team-b.inference.results");
        // control characters never reach a log line or a dead-letter header
        assertRefused(d, request().setResultsTopic("a b\nc").build(), "results_topic",
                "results_topic 'a b?c' is not allowed: it is not a legal Kafka topic name");
        assertRefused(d, request().setResultsTopic("x".repeat(250)).build(), "results_topic",
                "results_topic '" + "x".repeat(120) + "...' is not allowed: it is not a legal Kafka topic name");
        assertRefused(d, request().setResultsTopic("..").build(), "results_topic",
                "results_topic '..' is not allowed: it is not a legal Kafka topic name");
    }

    @Test
    void anInvalidPatternOrATenantTopicThatIsAnInputStopsTheStartUp() {
        TopicSettings topics = new TopicSettings();
        topics.setReplyTopicPattern("team-(");
        assertThatThrownBy(() -> Destinations.of(topics, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("topics.reply-topic-pattern is not a valid regular expression");

        assertThatThrownBy(() -> new Destinations(DEFAULTS, Map.of("team-a", new OutputTopics(
                "inference.requests", "u", "c")), null, java.util.Set.of("inference.requests")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tenants.team-a.topics names 'inference.requests', one of the worker's input, vote or "
                        + "dead-letter topics");
    }

    private static void assertRefused(Destinations d, CompletionRequest request, String parameter, String reason) {
        assertThat(d.decide(request)).isEqualTo(new Destinations.Decision.Refused(DEFAULTS, parameter, reason));
    }

    /**
     * Destinations from a Micronaut context configured like a worker: team-a with its three topics, team-b (written
     * TeamB) with a results topic only, team-c with another engineer's key only (it must bind, and be neither read nor refused).
     */
    private static Destinations bound(Map<String, Object> more) {
        Map<String, Object> p = new java.util.HashMap<>(Map.of(
                "worker.enabled", "false",
                "votes.enabled", "false",
                "tenants.team-a.topics.results", "team-a.inference.results",
                "tenants.team-a.topics.usage", "team-a.inference.usage",
                "tenants.team-a.topics.chunks", "team-a.inference.chunks",
                "tenants.team-a.requests-per-minute", "60",
                "tenants.TeamB.topics.results", "team-b.inference.results",
                "tenants.team-c.requests-per-minute", "10"));
        p.putAll(more);
        try (ApplicationContext ctx = ApplicationContext.builder().properties(p).deduceEnvironment(false).start()) {
            return ctx.getBean(Destinations.class);
        }
    }

    private static CompletionRequest.Builder request() {
        return CompletionRequest.newBuilder().setJobId("job-1").setProvider("sim")
                .setMessages(List.of(Message.newBuilder().setRole(Role.USER).setContent("hi").build()));
    }
}
