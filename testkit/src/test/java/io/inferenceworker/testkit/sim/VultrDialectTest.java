package io.inferenceworker.testkit.sim;

import static io.inferenceworker.testkit.sim.SimHttp.chat;
import static io.inferenceworker.testkit.sim.SimHttp.events;
import static io.inferenceworker.testkit.sim.SimHttp.get;
import static io.inferenceworker.testkit.sim.SimHttp.json;
import static io.inferenceworker.testkit.sim.SimHttp.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class VultrDialectTest {

    private static final String KEY = "vultr-inference-key";
    private static final String AUTH = "Bearer " + KEY;
    private static ProviderSimulator sim;
    private static String base;

    @BeforeAll
    static void start() {
        sim = ProviderSimulator.builder().withApiKey(Dialect.VULTR, KEY).start();
        base = sim.baseUrl(Dialect.VULTR);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @Test
    void replyHasVultrShapeWithoutObject() {
        HttpResponse<String> response = post(base + "/v1/chat/completions", chat("v-ok", "Hello Vultr world"),
                "Authorization", AUTH);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-request-id")).isPresent();
        JsonNode reply = json(response);
        assertThat(reply.has("object")).isFalse();
        assertThat(reply.path("id").asText()).startsWith("chatcmpl-");
        assertThat(reply.path("created").isNumber()).isTrue();
        assertThat(reply.path("model").asText()).isEqualTo("v-ok");
        assertThat(reply.at("/choices/0/message/content").asText()).isEqualTo("Echo: Hello Vultr world");
        assertThat(reply.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(reply.at("/usage/completion_tokens").asInt()).isEqualTo(4);
        assertThat(reply.at("/usage/total_tokens").asInt())
                .isEqualTo(reply.at("/usage/prompt_tokens").asInt() + 4);
    }

    /** The 1.2.0 reference lists no {@code stream_options}: a stream has no usage chunk. */
    @Test
    void streamSendsDeltasWithoutObjectAndEndsWithDone() {
        ObjectNode body = chat("v-stream", "one two three four").put("stream", true);

        HttpResponse<String> response = post(base + "/v1/chat/completions", body, "Authorization", AUTH);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type").orElseThrow()).startsWith("text/event-stream");
        List<SimHttp.Event> events = events(response.body());
        assertThat(events.getLast().data()).isEqualTo("[DONE]");
        assertThat(SimHttp.joinDeltas(events, "content")).isEqualTo("Echo: one two three four");
        assertThat(events).filteredOn(e -> !e.data().equals("[DONE]")).allSatisfy(e -> {
            assertThat(e.json().has("object")).isFalse();
            assertThat(e.event()).isNull();
        });
        assertThat(events).filteredOn(e -> !e.data().equals("[DONE]"))
                .allSatisfy(e -> assertThat(e.json().has("usage")).isFalse());
        assertThat(events.get(events.size() - 2).json().at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    }

    /** Fields the 1.2.0 reference (and the chat guide) do not list are refused, {@code stop} and stream options too. */
    @Test
    void unlistedFieldsAreRejected() {
        for (String field : List.of("stop", "n", "logprobs", "frequency_penalty", "response_format", "foo")) {
            ObjectNode body = chat("v-strict", "x");
            body.put(field, "\n");
            HttpResponse<String> response = post(base + "/v1/chat/completions", body, "Authorization", AUTH);
            assertThat(response.statusCode()).as(field).isEqualTo(400);
            assertThat(json(response).at("/error/param").asText()).isEqualTo(field);
        }
        ObjectNode streamed = chat("v-strict", "x").put("stream", true);
        streamed.putObject("stream_options").put("include_usage", true);
        assertThat(post(base + "/v1/chat/completions", streamed, "Authorization", AUTH).statusCode()).isEqualTo(400);
        ObjectNode rag = chat("v-strict", "x").put("collection", "c");
        assertThat(post(base + "/v1/chat/completions", rag, "Authorization", AUTH).statusCode()).isEqualTo(400);
        SimHttp.withWeatherTool(rag).put("tool_choice", "auto");
        assertThat(post(base + "/v1/chat/completions/RAG", rag, "Authorization", AUTH).statusCode()).isEqualTo(200);
    }

    @Test
    void extendedParametersAreAcceptedWhenTheSimulatorIsToldSo() {
        try (ProviderSimulator extended = ProviderSimulator.builder().withVultrExtendedParameters(true).start()) {
            ObjectNode body = chat("v-ext", "one two END three").put("n", 2).put("stream", true);
            body.putArray("stop").add("END");
            body.putObject("stream_options").put("include_usage", true);
            HttpResponse<String> response = post(extended.baseUrl(Dialect.VULTR) + "/v1/chat/completions", body);
            assertThat(response.statusCode()).isEqualTo(200);
            List<SimHttp.Event> events = events(response.body());
            assertThat(events.get(events.size() - 2).json().at("/usage/total_tokens").asInt()).isPositive();
        }
    }

    @Test
    void ragRequiresCollectionAndAcceptsBothCasings() {
        HttpResponse<String> missing = post(base + "/v1/chat/completions/RAG", chat("v-rag", "q"),
                "Authorization", AUTH);
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(json(missing).at("/error/param").asText()).isEqualTo("collection");

        ObjectNode body = chat("v-rag", "what is in my docs").put("collection", "col-1");
        assertThat(post(base + "/v1/chat/completions/RAG", body, "Authorization", AUTH).statusCode()).isEqualTo(200);
        assertThat(post(base + "/v1/chat/completions/rag", body, "Authorization", AUTH).statusCode()).isEqualTo(200);
    }

    @Test
    void ratingRecordsVotesForIssuedCompletionsOnly() {
        String id = json(post(base + "/v1/chat/completions", chat("v-rate", "rate me"), "Authorization", AUTH))
                .path("id").asText();

        HttpResponse<String> rated = post(base + "/v1/chat/completions/" + id + "/rate", "{\"vote\":\"up\"}",
                "Authorization", AUTH);
        assertThat(rated.statusCode()).isEqualTo(200);
        assertThat(json(rated).isEmpty()).isTrue();
        assertThat(sim.voteFor(id)).contains("up");

        assertThat(post(base + "/v1/chat/completions/chatcmpl-unknown/rate", "{\"vote\":\"down\"}",
                "Authorization", AUTH).statusCode()).isEqualTo(404);
        assertThat(post(base + "/v1/chat/completions/" + id + "/rate", "{\"vote\":\"sideways\"}",
                "Authorization", AUTH).statusCode()).isEqualTo(400);
    }

    @Test
    void ratingPathIsConfigurable() {
        try (ProviderSimulator custom = ProviderSimulator.builder()
                .withVultrRatingPath("/v1/chat/completions/{id}/vote").start()) {
            String url = custom.baseUrl(Dialect.VULTR);
            String id = json(post(url + "/v1/chat/completions", chat("m", "x"))).path("id").asText();
            assertThat(post(url + "/v1/chat/completions/" + id + "/vote", "{\"vote\":\"down\"}").statusCode())
                    .isEqualTo(200);
            assertThat(custom.voteFor(id)).contains("down");
        }
    }

    @Test
    void modelsAndHealth() {
        JsonNode models = json(get(base + "/v1/models", "Authorization", AUTH));
        assertThat(models.path("data").get(0).path("id").asText()).isEqualTo("kimi-k2-instruct");
        HttpResponse<String> health = get(base + "/v1/health", "Authorization", AUTH);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(json(health).path("status").asText()).isEqualTo("ok");
    }

    @Test
    void wrongOrMissingKeyIs401() {
        HttpResponse<String> wrong = post(base + "/v1/chat/completions", chat("v-auth", "x"),
                "Authorization", "Bearer nope");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(json(wrong).at("/error/code").asText()).isEqualTo("invalid_api_key");
        assertThat(wrong.body()).doesNotContain(KEY);
        assertThat(post(base + "/v1/chat/completions", chat("v-auth", "x")).statusCode()).isEqualTo(401);
    }

    @Test
    void validationErrors() {
        HttpResponse<String> noMessages = post(base + "/v1/chat/completions", "{\"model\":\"v-val\"}",
                "Authorization", AUTH);
        assertThat(noMessages.statusCode()).isEqualTo(400);
        assertThat(json(noMessages).at("/error/param").asText()).isEqualTo("messages");
        assertThat(post(base + "/v1/chat/completions", chat("v-val", "x").put("temperature", 2.5),
                "Authorization", AUTH).statusCode()).isEqualTo(400);
        assertThat(post(base + "/v1/chat/completions", "not json", "Authorization", AUTH).statusCode())
                .isEqualTo(400);
    }

    /** Vultr's sample tool call has no {@code id}; its streamed fragments carry no {@code index}. */
    @Test
    void toolCallsHaveNoIdAndFragmentsNoIndex() {
        ObjectNode body = SimHttp.withWeatherTool(chat("kimi-k2-instruct", "What is the weather in Paris?"))
                .put("tool_choice", "auto").put("stream", true);

        List<SimHttp.Event> events = events(post(base + "/v1/chat/completions", body, "Authorization", AUTH).body());

        List<JsonNode> fragments = events.stream().filter(e -> e.data().startsWith("{"))
                .map(e -> e.json().at("/choices/0/delta/tool_calls/0")).filter(JsonNode::isObject).toList();
        assertThat(fragments.getFirst().has("id")).isFalse();
        assertThat(fragments.getFirst().at("/function/name").asText()).isEqualTo("get_weather");
        assertThat(fragments.size()).isGreaterThan(2);
        StringBuilder arguments = new StringBuilder();
        fragments.forEach(f -> {
            assertThat(f.has("index")).isFalse();
            arguments.append(f.at("/function/arguments").asText());
        });
        assertThat(json(arguments.toString()).path("city").asText()).isEqualTo("example");
        assertThat(events.get(events.size() - 2).json().at("/choices/0/finish_reason").asText())
                .isEqualTo("tool_calls");
    }

    @Test
    void forcedStatusAndRateLimitCarryHeaders() {
        sim.onModel("v-503", Behaviour.status(503).withHeader("Retry-After", "1"));
        HttpResponse<String> unavailable = post(base + "/v1/chat/completions", chat("v-503", "x"),
                "Authorization", AUTH);
        assertThat(unavailable.statusCode()).isEqualTo(503);
        assertThat(unavailable.headers().firstValue("retry-after")).contains("1");
        assertThat(json(unavailable).at("/error/type").asText()).isEqualTo("server_error");

        sim.onModel("v-429", Behaviour.rateLimited(Duration.ofMillis(1500)));
        HttpResponse<String> limited = post(base + "/v1/chat/completions", chat("v-429", "x"), "Authorization", AUTH);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("retry-after")).contains("2");
        assertThat(limited.headers().firstValue("retry-after-ms")).contains("1500");
    }
}
