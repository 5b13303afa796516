package io.inferenceworker.testkit.sim;

import static io.inferenceworker.testkit.sim.SimHttp.chat;
import static io.inferenceworker.testkit.sim.SimHttp.events;
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

class OpenAiDialectTest {

    private static ProviderSimulator sim;
    private static String chatUrl;

    @BeforeAll
    static void start() {
        sim = ProviderSimulator.start();
        chatUrl = sim.baseUrl(Dialect.OPENAI) + "/v1/chat/completions";
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @Test
    void successCarriesRateLimitHeaders() {
        HttpResponse<String> response = post(chatUrl, chat("oa-ok", "hi there"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-request-id")).isPresent();
        assertThat(response.headers().firstValue("x-ratelimit-remaining-requests")).contains("9999");
        assertThat(response.headers().firstValue("x-ratelimit-reset-requests")).contains("6ms");
        assertThat(response.headers().firstValue("x-ratelimit-remaining-tokens")).isPresent();
        assertThat(response.headers().firstValue("x-ratelimit-reset-tokens")).isPresent();
        JsonNode reply = json(response);
        assertThat(reply.path("object").asText()).isEqualTo("chat.completion");
        assertThat(reply.at("/choices/0/message/role").asText()).isEqualTo("assistant");
    }

    @Test
    void rateLimitedSetsAllRetryHints() {
        sim.onModel("oa-429", Behaviour.rateLimited(Duration.ofSeconds(360)));
        HttpResponse<String> response = post(chatUrl, chat("oa-429", "x"));

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("retry-after")).contains("360");
        assertThat(response.headers().firstValue("retry-after-ms")).contains("360000");
        assertThat(response.headers().firstValue("x-ratelimit-remaining-requests")).contains("0");
        assertThat(response.headers().firstValue("x-ratelimit-reset-requests")).contains("6m0s");
        JsonNode error = json(response).path("error");
        assertThat(error.path("code").asText()).isEqualTo("rate_limit_exceeded");
        assertThat(error.has("param")).isTrue();
        assertThat(error.has("type")).isTrue();

        sim.onModel("oa-429-ms", Behaviour.rateLimited(Duration.ofMillis(20)));
        assertThat(post(chatUrl, chat("oa-429-ms", "x")).headers().firstValue("x-ratelimit-reset-tokens"))
                .contains("20ms");
    }

    @Test
    void explicitHeadersWinIncludingHttpDateRetryAfter() {
        String date = "Wed, 21 Oct 2015 07:28:00 GMT";
        sim.onModel("oa-date", Behaviour.rateLimited(Duration.ofSeconds(1)).withHeader("retry-after", date));
        HttpResponse<String> response = post(chatUrl, chat("oa-date", "x"));
        assertThat(response.headers().allValues("retry-after")).containsExactly(date);
    }

    @Test
    void errorShapesAndStatuses() {
        sim.onModel("oa-500", Behaviour.status(500));
        HttpResponse<String> failed = post(chatUrl, chat("oa-500", "x"));
        assertThat(failed.statusCode()).isEqualTo(500);
        JsonNode error = json(failed).path("error");
        assertThat(error.path("type").asText()).isEqualTo("server_error");
        assertThat(error.has("message") && error.has("param") && error.has("code")).isTrue();

        sim.onModel("oa-quota", Behaviour.insufficientCredit());
        assertThat(json(post(chatUrl, chat("oa-quota", "x"))).at("/error/code").asText())
                .isEqualTo("insufficient_quota");

        HttpResponse<String> noModel = post(chatUrl, "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertThat(noModel.statusCode()).isEqualTo(400);
        assertThat(json(noModel).at("/error/type").asText()).isEqualTo("invalid_request_error");
    }

    @Test
    void streamErrorAsDataLineOrErrorEvent() {
        sim.onModel("oa-mid", Behaviour.midStreamError());
        List<SimHttp.Event> dataOnly = events(post(chatUrl, chat("oa-mid", "a b c d").put("stream", true)).body());
        assertThat(dataOnly.getLast().event()).isNull();
        assertThat(dataOnly.getLast().json().has("error")).isTrue();

        sim.onModel("oa-mid-event", Behaviour.midStreamError().withErrorEvent());
        List<SimHttp.Event> withEvent = events(post(chatUrl, chat("oa-mid-event", "a b c d").put("stream", true))
                .body());
        assertThat(withEvent.getLast().event()).isEqualTo("error");
        assertThat(withEvent.getLast().json().at("/error/message").asText()).isNotBlank();
        assertThat(withEvent.getFirst().json().at("/choices/0/delta/role").asText()).isEqualTo("assistant");
    }

    @Test
    void midStreamErrorOnNonStreamingRequestIs500() {
        sim.onModel("oa-mid-plain", Behaviour.midStreamError());
        assertThat(post(chatUrl, chat("oa-mid-plain", "x")).statusCode()).isEqualTo(500);
    }

    @Test
    void toolCallBehaviourAndToolChoiceNone() {
        sim.onModel("oa-tool", Behaviour.toolCall("lookup", "{\"q\":\"kafka\"}"));
        JsonNode message = json(post(chatUrl, SimHttp.withWeatherTool(chat("oa-tool", "x")))).at("/choices/0");
        assertThat(message.path("finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(message.at("/message/content").isNull()).isTrue();
        assertThat(message.at("/message/tool_calls/0/function/name").asText()).isEqualTo("lookup");
        assertThat(message.at("/message/tool_calls/0/function/arguments").asText()).isEqualTo("{\"q\":\"kafka\"}");

        ObjectNode none = SimHttp.withWeatherTool(chat("oa-none", "weather in Oslo?")).put("tool_choice", "none");
        JsonNode plain = json(post(chatUrl, none)).at("/choices/0");
        assertThat(plain.path("finish_reason").asText()).isEqualTo("stop");
        assertThat(plain.at("/message/content").asText()).isEqualTo("Echo: weather in Oslo?");

        ObjectNode required = SimHttp.withWeatherTool(chat("oa-req", "hello")).put("tool_choice", "required");
        assertThat(json(post(chatUrl, required)).at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
    }

    @Test
    void maxTokensTruncatesWithLengthFinish() {
        JsonNode reply = json(post(chatUrl, chat("oa-len", "one two three four five").put("max_tokens", 2)));
        assertThat(reply.at("/choices/0/message/content").asText()).isEqualTo("Echo: one");
        assertThat(reply.at("/choices/0/finish_reason").asText()).isEqualTo("length");
        assertThat(reply.at("/usage/completion_tokens").asInt()).isEqualTo(2);
    }

    @Test
    void flatErrorShapeAppliesToValidationErrors() {
        sim.onModel("oa-flat", Behaviour.ok().withVllmErrorShape(VllmErrorShape.FLAT));
        JsonNode error = json(post(chatUrl, chat("oa-flat", "x").put("temperature", 9)));
        assertThat(error.path("object").asText()).isEqualTo("error");
        assertThat(error.path("param").asText()).isEqualTo("temperature");
    }
}
