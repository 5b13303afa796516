package io.inferenceworker.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

import io.inferenceworker.testkit.sim.Dialect;

class DevStackTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @Test
    void sharedStackRunsOnTheSharedBroker() throws Exception {
        DevStack stack = DevStack.shared();

        assertThat(DevStack.shared()).isSameAs(stack);
        assertThat(stack.kafka()).isSameAs(EmbeddedKafka.shared());
        assertThat(get(stack.registry().url() + "/subjects").statusCode()).isEqualTo(200);
        assertThat(get(stack.simulator().baseUrl() + "/").statusCode()).isEqualTo(200);
    }

    @Test
    void privateStackCreatesTheWorkersDefaultTopics() throws Exception {
        DevStack stack = DevStack.start();
        try (stack) {
            assertThat(stack.kafka()).isNotSameAs(EmbeddedKafka.shared());
            stack.createDefaultTopics();

            List<String> names = DevStack.defaultTopics().stream().map(NewTopic::name).toList();
            try (Admin admin = stack.kafka().newAdmin()) {
                Map<String, TopicDescription> topics =
                        admin.describeTopics(names).allTopicNames().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                assertThat(topics.keySet()).containsExactlyInAnyOrder("inference.requests", "inference.results",
                        "inference.usage", "inference.chunks", "inference.votes.requests", "inference.votes",
                        "inference.requests.dlq");
                assertThat(topics.values()).allSatisfy(topic -> assertThat(topic.partitions()).hasSize(6));
                assertThat(cleanupPolicies(admin, names)).containsEntry("inference.results", "compact")
                        .containsEntry("inference.votes", "compact").containsEntry("inference.requests", "delete");
            }
            assertThat(stack.describe()).contains(stack.kafka().bootstrapServers(), stack.registry().url(),
                    stack.simulator().baseUrl(Dialect.ELASTIC));
        }
        stack.close();
    }

    private static Map<String, String> cleanupPolicies(Admin admin, List<String> topics) throws Exception {
        List<ConfigResource> resources = topics.stream()
                .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic)).toList();
        Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all()
                .get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        return configs.entrySet().stream().collect(Collectors.toMap(
                entry -> entry.getKey().name(), entry -> entry.getValue().get("cleanup.policy").value()));
    }

    private static HttpResponse<String> get(String url) throws Exception {
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(DEADLINE).build()) {
            return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(DEADLINE).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }
}
