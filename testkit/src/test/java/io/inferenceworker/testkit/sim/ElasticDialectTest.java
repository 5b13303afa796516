package io.inferenceworker.testkit.sim;

import static io.inferenceworker.testkit.sim.SimHttp.chat;
import static io.inferenceworker.testkit.sim.SimHttp.events;
import static io.inferenceworker.testkit.sim.SimHttp.json;
import static io.inferenceworker.testkit.sim.SimHttp.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ElasticDialectTest {

    private static final String KEY = "ZWxhc3RpYzprZXk=";
    private static final String AUTH = "ApiKey " + KEY;
    private static ProviderSimulator sim;

    @BeforeAll
    static void start() {
        sim = ProviderSimulator.builder().withApiKey(Dialect.ELASTIC, KEY).start();
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    private static String url(String inferenceId) {
        return sim.baseUrl(Dialect.ELASTIC) + "/_inference/chat_completion/" + inferenceId + "/_stream";
    }

    @Test
    void streamIsBomFramedWithoutCreatedAndEndsWithUsageThenDone() {
        HttpResponse<String> response = post(url("my-endpoint") + "?timeout=30s",
                chat("gpt-4o-mini", "Hello elastic").put("max_completion_tokens", 100),
                "Authorization", AUTH, "X-Opaque-Id", "trace-42");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-elastic-product")).contains("Elasticsearch");
        assertThat(response.headers().firstValue("X-Opaque-Id")).contains("trace-42");
        assertThat(response.headers().firstValue("X-Cloud-Request-Id")).isPresent();
        assertThat(response.body()).startsWith("\uFEFFevent: message\ndata: {");
        List<SimHttp.Event> events = events(response.body());
        assertThat(events).allSatisfy(e -> {
            assertThat(e.bom()).isTrue();
            assertThat(e.event()).isEqualTo("message");
        });
        assertThat(events.getLast().data()).isEqualTo("[DONE]");
        List<JsonNode> chunks = events.subList(0, events.size() - 1).stream().map(SimHttp.Event::json).toList();
        assertThat(chunks).allSatisfy(chunk -> {
            assertThat(chunk.has("created")).isFalse();
            assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk");
            assertThat(chunk.path("model").asText()).isEqualTo("gpt-4o-mini");
            assertThat(chunk.at("/choices/0/finish_reason").isNull()).isFalse();
            assertThat(chunk.at("/choices/0/delta/content").isNull()).isFalse();
        });
        assertThat(SimHttp.joinDeltas(events.subList(0, events.size() - 1), "content")).isEqualTo("Echo: Hello elastic");
        JsonNode usage = chunks.getLast();
        assertThat(usage.path("choices").isEmpty()).isTrue();
        assertThat(usage.at("/usage/prompt_tokens_details/cached_tokens").isInt()).isTrue();
        assertThat(usage.at("/usage/completion_tokens_details/reasoning_tokens").isInt()).isTrue();
        assertThat(chunks.get(chunks.size() - 2).at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(sim.requestsForModel("gpt-4o-mini").getLast().queryParam("timeout")).contains("30s");
    }

    /** The document sends {@code Authorization: $API_KEY} verbatim: a key with its own scheme must arrive as is. */
    @Test
    void keyWithItsOwnSchemeMustArriveVerbatim() {
        try (ProviderSimulator bearer = ProviderSimulator.builder()
                .withApiKey(Dialect.ELASTIC, "Bearer es-service-token-1").start()) {
            String url = bearer.baseUrl(Dialect.ELASTIC) + "/_inference/chat_completion/e/_stream";
            ObjectNode body = chat("es-auth", "x");
            assertThat(post(url, body, "Authorization", "Bearer es-service-token-1").statusCode()).isEqualTo(200);
            assertThat(post(url, body, "Authorization", "bearer es-service-token-1").statusCode()).isEqualTo(200);
            HttpResponse<String> doubled = post(url, body, "Authorization", "ApiKey Bearer es-service-token-1");
            assertThat(doubled.statusCode()).isEqualTo(401);
            assertThat(json(doubled).at("/error/type").asText()).isEqualTo("security_exception");
            assertThat(post(url, body, "Authorization", "ApiKey es-service-token-1").statusCode()).isEqualTo(401);
        }
        assertThat(post(url("e"), chat("es-auth", "x"), "Authorization", "ApiKey ApiKey " + KEY).statusCode())
                .isEqualTo(401);
    }

    @Test
    void unknownFieldsAreRejectedLikeElasticsearch() {
        for (String field : List.of("max_tokens", "n", "seed", "top_k", "logprobs", "stream")) {
            ObjectNode body = chat("es-strict", "x");
            body.put(field, 1);
            HttpResponse<String> response = post(url("e"), body, "Authorization", AUTH);
            assertThat(response.statusCode()).isEqualTo(400);
            JsonNode error = json(response);
            assertThat(error.path("status").asInt()).isEqualTo(400);
            assertThat(error.at("/error/type").asText()).isEqualTo("x_content_parse_exception");
            assertThat(error.at("/error/root_cause/0/type").asText()).isEqualTo("x_content_parse_exception");
            assertThat(error.at("/error/reason").asText())
                    .matches("\\[1:\\d+] \\[chat_completion_request] unknown field \\[" + field + "]");
        }
    }

    @Test
    void missingOrEmptyMessagesAre400() {
        assertThat(post(url("e"), "{\"model\":\"es-val\"}", "Authorization", AUTH).statusCode()).isEqualTo(400);
        HttpResponse<String> empty = post(url("e"), "{\"messages\":[]}", "Authorization", AUTH);
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(json(empty).at("/error/type").asText()).isEqualTo("action_request_validation_exception");
    }

    @Test
    void authenticationFailureIsClassicSecurityException() {
        HttpResponse<String> response = post(url("e"), chat("es-auth", "x"), "Authorization", "ApiKey wrong");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response).at("/error/type").asText()).isEqualTo("security_exception");
        assertThat(json(response).path("status").asInt()).isEqualTo(401);
        assertThat(post(url("e"), chat("es-auth", "x"), "Authorization", "Bearer " + KEY).statusCode())
                .isEqualTo(401);
    }

    @Test
    void errorBeforeStreamHasItsStatusAndAnErrorEvent() {
        sim.onModel("es-404", Behaviour.errorBeforeStream(404));
        HttpResponse<String> response = post(url("e"), chat("es-404", "x"), "Authorization", AUTH);

        assertThat(response.statusCode()).isEqualTo(404);
        List<SimHttp.Event> events = events(response.body());
        assertThat(events).hasSize(1);
        assertThat(events.getFirst().event()).isEqualTo("error");
        assertThat(events.getFirst().bom()).isTrue();
        JsonNode error = events.getFirst().json().path("error");
        assertThat(error.path("code").asText()).isEqualTo("not_found");
        assertThat(error.has("message")).isTrue();
        assertThat(error.has("type")).isTrue();
    }

    @Test
    void midStreamErrorKeeps200AndReplacesDone() {
        sim.onModel("es-mid", Behaviour.midStreamError());
        HttpResponse<String> response = post(url("e"), chat("es-mid", "a b c d e f g h"), "Authorization", AUTH);

        assertThat(response.statusCode()).isEqualTo(200);
        List<SimHttp.Event> events = events(response.body());
        assertThat(events.getFirst().event()).isEqualTo("message");
        assertThat(events.getLast().event()).isEqualTo("error");
        assertThat(events.getLast().json().at("/error/message").asText()).isNotBlank();
        assertThat(events).noneMatch(e -> e.data().equals("[DONE]"));
    }

    @Test
    void scenarioKeyFallsBackToInferenceId() {
        sim.onModel("endpoint-503", Behaviour.status(503));
        ObjectNode body = chat(null, "no model in body");
        assertThat(post(url("endpoint-503"), body, "Authorization", AUTH).statusCode()).isEqualTo(503);
        assertThat(sim.totalRequestsForModel("endpoint-503")).isEqualTo(1);
    }

    @Test
    void toolCallFragmentsAreMergedByIndexWithoutNulls() {
        ObjectNode body = SimHttp.withWeatherTool(chat("es-tool", "Any tool please"));
        body.putObject("tool_choice").put("type", "function").putObject("function").put("name", "get_weather");

        List<SimHttp.Event> events = events(post(url("e"), body, "Authorization", AUTH).body());

        List<JsonNode> fragments = events.stream().filter(e -> e.data().startsWith("{"))
                .map(e -> e.json().at("/choices/0/delta/tool_calls/0")).filter(JsonNode::isObject).toList();
        assertThat(fragments.getFirst().at("/function/name").asText()).isEqualTo("get_weather");
        assertThat(fragments.getFirst().path("type").asText()).isEqualTo("function");
        String arguments = fragments.stream().map(f -> f.at("/function/arguments").asText())
                .reduce("", String::concat);
        assertThat(json(arguments).path("city").asText()).isEqualTo("example");
        assertThat(events).noneMatch(e -> e.data().contains("null"));
    }

    @Test
    void wrongPathAndMethod() {
        assertThat(SimHttp.get(url("e"), "Authorization", AUTH).statusCode()).isEqualTo(405);
        assertThat(post(sim.baseUrl(Dialect.ELASTIC) + "/_inference/completion/e", chat("m", "x"),
                "Authorization", AUTH).statusCode()).isEqualTo(400);
    }
}
