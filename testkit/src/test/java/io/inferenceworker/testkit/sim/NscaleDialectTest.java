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

class NscaleDialectTest {

    private static ProviderSimulator sim;
    private static String chatUrl;

    @BeforeAll
    static void start() {
        sim = ProviderSimulator.builder().withApiKey(Dialect.NSCALE, "ns-key").start();
        chatUrl = sim.baseUrl(Dialect.NSCALE) + "/v1/chat/completions";
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    private static HttpResponse<String> send(JsonNode body) {
        return post(chatUrl, body, "Authorization", "Bearer ns-key");
    }

    @Test
    void nChoicesWithLogprobsAndStopReason() {
        ObjectNode body = chat("ns-n", "alpha beta").put("n", 2).put("logprobs", true).put("top_logprobs", 2);

        HttpResponse<String> response = send(body);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode reply = json(response);
        assertThat(reply.path("object").asText()).isEqualTo("chat.completion");
        assertThat(reply.path("choices")).hasSize(2);
        assertThat(reply.at("/choices/1/index").asInt()).isEqualTo(1);
        assertThat(reply.at("/choices/0").has("stop_reason")).isTrue();
        JsonNode logprobs = reply.at("/choices/0/logprobs/content");
        assertThat(logprobs).hasSize(3);
        JsonNode first = logprobs.get(0);
        assertThat(first.path("token").asText()).isEqualTo("Echo:");
        assertThat(first.path("logprob").isNumber()).isTrue();
        assertThat(first.path("bytes")).hasSize(5);
        assertThat(first.path("top_logprobs")).hasSize(2);
        assertThat(response.headers().firstValue("x-request-id")).isPresent();
    }

    /** nscale's reference lists {@code choices[].stop_reason} and {@code system_fingerprint}. */
    @Test
    void stopStringIsTheStopReasonAndAnswersCarryASystemFingerprint() {
        ObjectNode body = chat("ns-stop", "alpha beta gamma").put("stop", "beta");
        JsonNode reply = json(send(body));
        assertThat(reply.at("/choices/0/message/content").asText()).isEqualTo("Echo: alpha ");
        assertThat(reply.at("/choices/0/stop_reason").asText()).isEqualTo("beta");
        assertThat(reply.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(reply.path("system_fingerprint").asText()).isNotBlank();
        assertThat(json(send(chat("ns-stop", "alpha"))).at("/choices/0/stop_reason").isNull()).isTrue();
    }

    @Test
    void unlistedFieldsAreRejected() {
        for (String field : List.of("top_k", "chat_template_kwargs", "min_p")) {
            HttpResponse<String> response = send(chat("ns-strict", "x").put(field, 1));
            assertThat(response.statusCode()).as(field).isEqualTo(400);
            assertThat(json(response).at("/error/param").asText()).isEqualTo(field);
        }
    }

    @Test
    void jsonObjectResponseFormatGivesValidJson() {
        ObjectNode body = chat("ns-json", "give me json");
        body.putObject("response_format").put("type", "json_object");

        String content = json(send(body)).at("/choices/0/message/content").asText();

        assertThat(json(content).path("answer").asText()).isEqualTo("Echo: give me json");
    }

    @Test
    void streamsAnswer201() {
        ObjectNode body = chat("ns-stream", "streamed words here").put("stream", true);
        body.putObject("stream_options").put("include_usage", true);

        HttpResponse<String> response = send(body);

        assertThat(response.statusCode()).isEqualTo(201);
        List<SimHttp.Event> events = events(response.body());
        assertThat(SimHttp.joinDeltas(events, "content")).isEqualTo("Echo: streamed words here");
        assertThat(events.getLast().data()).isEqualTo("[DONE]");
        assertThat(events.get(events.size() - 2).json().at("/usage/completion_tokens").asInt()).isEqualTo(4);
    }

    @Test
    void reasoningContentInMessage() {
        sim.onModel("ns-reason", Behaviour.okWithReasoning("42", "think think"));
        JsonNode message = json(send(chat("ns-reason", "q"))).at("/choices/0/message");
        assertThat(message.path("reasoning_content").asText()).isEqualTo("think think");
        assertThat(message.path("content").asText()).isEqualTo("42");
    }

    @Test
    void requiredToolChoiceIsRejected() {
        ObjectNode body = SimHttp.withWeatherTool(chat("ns-tool", "x")).put("tool_choice", "required");
        HttpResponse<String> response = send(body);
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = json(response).path("error");
        assertThat(error.path("type").asText()).isEqualTo("BadRequestError");
        assertThat(error.path("param").asText()).isEqualTo("tool_choice");
        assertThat(error.path("code").asInt()).isEqualTo(400);
    }

    @Test
    void insufficientCreditIs429WithVllmBody() {
        sim.onModel("ns-broke", Behaviour.insufficientCredit());
        HttpResponse<String> response = send(chat("ns-broke", "x"));
        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("retry-after")).isEmpty();
        JsonNode error = json(response).path("error");
        assertThat(error.path("message").asText()).containsIgnoringCase("insufficient credit");
        assertThat(error.path("code").asInt()).isEqualTo(429);
    }

    @Test
    void errorShapeIsProgrammable() {
        sim.onModel("ns-flat", Behaviour.status(404).withVllmErrorShape(VllmErrorShape.FLAT));
        JsonNode flat = json(send(chat("ns-flat", "x")));
        assertThat(flat.path("object").asText()).isEqualTo("error");
        assertThat(flat.path("type").asText()).isEqualTo("NotFoundError");
        assertThat(flat.path("code").asInt()).isEqualTo(404);
        assertThat(flat.has("message")).isTrue();

        sim.onModel("ns-nested", Behaviour.status(503));
        HttpResponse<String> nested = send(chat("ns-nested", "x"));
        assertThat(nested.statusCode()).isEqualTo(503);
        assertThat(json(nested).at("/error/type").asText()).isEqualTo("ServiceUnavailableError");

        sim.onModel("ns-500", Behaviour.status(500));
        assertThat(json(send(chat("ns-500", "x"))).at("/error/type").asText()).isEqualTo("InternalServerError");
    }

    @Test
    void unauthorizedIs401() {
        HttpResponse<String> response = post(chatUrl, chat("ns-auth", "x"), "Authorization", "Bearer nope");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response).at("/error/code").asInt()).isEqualTo(401);
    }

    @Test
    void streamErrorInOlderFlatShape() {
        sim.onModel("ns-mid", Behaviour.midStreamError().withVllmErrorShape(VllmErrorShape.FLAT));
        HttpResponse<String> response = send(chat("ns-mid", "a b c d e f").put("stream", true));
        assertThat(response.statusCode()).isEqualTo(201);
        JsonNode error = events(response.body()).getLast().json();
        assertThat(error.path("object").asText()).isEqualTo("error");
    }
}
