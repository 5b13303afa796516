package io.inferenceworker.testkit.sim;

import static io.inferenceworker.testkit.sim.SimHttp.chat;
import static io.inferenceworker.testkit.sim.SimHttp.events;
import static io.inferenceworker.testkit.sim.SimHttp.get;
import static io.inferenceworker.testkit.sim.SimHttp.json;
import static io.inferenceworker.testkit.sim.SimHttp.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NvidiaDialectTest {

    private static final String AUTH = "Bearer nvapi-test";
    private static ProviderSimulator sim;
    private static String chatUrl;

    @BeforeAll
    static void start() {
        sim = ProviderSimulator.builder().withApiKey(Dialect.NVIDIA, "nvapi-test").start();
        chatUrl = sim.baseUrl(Dialect.NVIDIA) + "/v1/chat/completions";
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @Test
    void thinkingKwargsAddReasoningAndArePassedThrough() {
        ObjectNode body = chat("nv-think", "Why is the sky blue?");
        body.putObject("chat_template_kwargs").put("thinking", true);

        HttpResponse<String> response = post(chatUrl, body, "Authorization", AUTH);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("nvcf-reqid")).isPresent();
        JsonNode reply = json(response);
        assertThat(reply.path("object").asText()).isEqualTo("chat.completion");
        assertThat(reply.at("/choices/0/message/reasoning_content").asText()).startsWith("Thinking about: Why");
        assertThat(reply.at("/usage/completion_tokens_details/reasoning_tokens").asInt()).isPositive();
        assertThat(sim.requestsForModel("nv-think").getLast().body().at("/chat_template_kwargs/thinking").asBoolean())
                .isTrue();

        ObjectNode off = chat("nv-think", "Why?");
        off.putObject("chat_template_kwargs").put("enable_thinking", false);
        assertThat(json(post(chatUrl, off, "Authorization", AUTH)).at("/choices/0/message").has("reasoning_content"))
                .isFalse();
    }

    @Test
    void streamCarriesReasoningDeltasAndUsageChunk() {
        sim.onModel("nv-stream", Behaviour.okWithReasoning("The answer.", "Let me think it through"));
        ObjectNode body = chat("nv-stream", "q").put("stream", true);
        body.putObject("stream_options").put("include_usage", true);

        HttpResponse<String> response = post(chatUrl, body, "Authorization", AUTH);

        assertThat(response.statusCode()).isEqualTo(200);
        List<SimHttp.Event> events = events(response.body());
        assertThat(SimHttp.joinDeltas(events, "reasoning_content")).isEqualTo("Let me think it through");
        assertThat(SimHttp.joinDeltas(events, "content")).isEqualTo("The answer.");
        assertThat(events.getLast().data()).isEqualTo("[DONE]");
        JsonNode usage = events.get(events.size() - 2).json();
        assertThat(usage.path("choices").isEmpty()).isTrue();
        assertThat(usage.at("/usage/total_tokens").asInt()).isPositive();
    }

    @Test
    void streamWithoutIncludeUsageHasNoUsageChunk() {
        List<SimHttp.Event> events = events(post(chatUrl, chat("nv-nousage", "q").put("stream", true),
                "Authorization", AUTH).body());
        assertThat(events).noneMatch(e -> e.data().contains("\"usage\""));
    }

    @Test
    void accepted202IsAnsweredByPolling() {
        sim.onModel("nv-202", Behaviour.accepted202(2));

        HttpResponse<String> accepted = post(chatUrl, chat("nv-202", "slow one"), "Authorization", AUTH);
        assertThat(accepted.statusCode()).isEqualTo(202);
        String reqId = accepted.headers().firstValue("NVCF-REQID").orElseThrow();
        String statusUrl = sim.baseUrl(Dialect.NVIDIA) + "/v2/nvcf/pexec/status/" + reqId;

        assertThat(get(statusUrl, "Authorization", AUTH).statusCode()).isEqualTo(202);
        HttpResponse<String> second = get(statusUrl, "Authorization", AUTH);
        assertThat(second.statusCode()).isEqualTo(202);
        assertThat(second.headers().firstValue("NVCF-REQID")).contains(reqId);
        HttpResponse<String> done = get(statusUrl, "Authorization", AUTH);
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(json(done).at("/choices/0/message/content").asText()).isEqualTo("Echo: slow one");
        assertThat(get(statusUrl, "Authorization", AUTH).statusCode()).isEqualTo(404);
        assertThat(get(statusUrl, "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
    }

    @Test
    void streamsAreNeverAccepted202() {
        sim.onModel("nv-202-stream", Behaviour.accepted202(1));
        HttpResponse<String> response = post(chatUrl, chat("nv-202-stream", "x").put("stream", true),
                "Authorization", AUTH);
        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void validationErrorsAre422ProblemDetails() {
        HttpResponse<String> hot = post(chatUrl, chat("nv-val", "x").put("temperature", 1.5), "Authorization", AUTH);
        assertThat(hot.statusCode()).isEqualTo(422);
        assertThat(hot.headers().firstValue("content-type").orElseThrow()).startsWith("application/problem+json");
        JsonNode problem = json(hot);
        assertThat(problem.path("status").asInt()).isEqualTo(422);
        assertThat(problem.path("title").asText()).isEqualTo("Unprocessable Entity");
        assertThat(problem.path("detail").asText()).contains("temperature");
        assertThat(problem.path("type").asText()).isNotBlank();
        assertThat(problem.path("requestId").asText()).isEqualTo(hot.headers().firstValue("nvcf-reqid").orElseThrow());

        assertThat(post(chatUrl, chat("nv-val", "x").put("max_tokens", 0), "Authorization", AUTH).statusCode())
                .isEqualTo(422);
        assertThat(post(chatUrl, chat("nv-val", "x").put("max_tokens", 65537), "Authorization", AUTH).statusCode())
                .isEqualTo(422);
        assertThat(post(chatUrl, "{\"messages\":[]}", "Authorization", AUTH).statusCode()).isEqualTo(422);
    }

    /** The reference lists the body parameters and message members; any other is refused. */
    @Test
    void unlistedFieldsAreRejected() {
        for (String field : List.of("n", "stop", "top_k", "logprobs", "frequency_penalty", "response_format")) {
            HttpResponse<String> response = post(chatUrl, chat("nv-strict", "x").put(field, 1), "Authorization", AUTH);
            assertThat(response.statusCode()).as(field).isEqualTo(422);
            assertThat(json(response).path("detail").asText()).contains(field);
        }
        ObjectNode body = chat("nv-strict", "x");
        ((ObjectNode) body.path("messages").get(0)).put("refusal", "no");
        assertThat(post(chatUrl, body, "Authorization", AUTH).statusCode()).isEqualTo(422);
    }

    /** {@code content} is required on every message: an assistant turn with tool calls needs {@code ""}. */
    @Test
    void everyMessageNeedsContent() {
        ObjectNode body = chat("nv-content", "weather?");
        ArrayNode messages = (ArrayNode) body.path("messages");
        ObjectNode assistant = messages.addObject().put("role", "assistant");
        ObjectNode call = assistant.putArray("tool_calls").addObject().put("id", "call_1").put("type", "function");
        call.putObject("function").put("name", "get_weather").put("arguments", "{}");
        messages.addObject().put("role", "tool").put("tool_call_id", "call_1").put("content", "sunny");

        HttpResponse<String> missing = post(chatUrl, body, "Authorization", AUTH);
        assertThat(missing.statusCode()).isEqualTo(422);
        assertThat(json(missing).path("detail").asText()).contains("messages[1].content is required");

        assistant.put("content", "");
        assertThat(post(chatUrl, body, "Authorization", AUTH).statusCode()).isEqualTo(200);
        assistant.putNull("content");
        assertThat(post(chatUrl, body, "Authorization", AUTH).statusCode()).isEqualTo(422);
    }

    /** Images over 180 KB go through NVCF assets, each referenced asset listed in the header. */
    @Test
    void largeInlineImagesAreRefusedAndAssetsMustBeListed() {
        String big = "A".repeat(NvidiaDialect.MAX_INLINE_BASE64_CHARS);
        HttpResponse<String> inline = post(chatUrl, chat("nv-img", "<img src=\"data:image/png;base64," + big
                + "\" />"), "Authorization", AUTH);
        assertThat(inline.statusCode()).isEqualTo(422);
        assertThat(json(inline).path("detail").asText()).contains("180KB");
        String small = "A".repeat(NvidiaDialect.MAX_INLINE_BASE64_CHARS - 1);
        assertThat(post(chatUrl, chat("nv-img", "<img src=\"data:image/png;base64," + small + "\" />"),
                "Authorization", AUTH).statusCode()).isEqualTo(200);

        String asset = "0b4f2e6a-3c1d-4e5f-8a9b-0c1d2e3f4a5b";
        ObjectNode referring = chat("nv-img", "<img src=\"data:image/png;asset_id," + asset + "\" />");
        assertThat(post(chatUrl, referring, "Authorization", AUTH).statusCode()).isEqualTo(422);
        assertThat(post(chatUrl, referring, "Authorization", AUTH, "NVCF-INPUT-ASSET-REFERENCES", asset)
                .statusCode()).isEqualTo(200);
        String tooLong = String.join(",", java.util.Collections.nCopies(11, asset));
        assertThat(post(chatUrl, referring, "Authorization", AUTH, "NVCF-INPUT-ASSET-REFERENCES", tooLong)
                .statusCode()).isEqualTo(422);
    }

    @Test
    void imageAndVideoPartsAreAcceptedAndModelDefaults() {
        ObjectNode body = SimHttp.JSON.createObjectNode();
        ArrayNode parts = body.putArray("messages").addObject().put("role", "user").putArray("content");
        parts.addObject().put("type", "text").put("text", "Describe this");
        parts.addObject().put("type", "image_url").putObject("image_url").put("url", "data:image/png;base64,AAAA");
        parts.addObject().put("type", "video_url").putObject("video_url").put("url", "https://example.com/v.mp4");

        HttpResponse<String> response = post(chatUrl, body, "Authorization", AUTH);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode reply = json(response);
        assertThat(reply.path("model").asText()).isEqualTo("moonshotai/kimi-k2.6");
        assertThat(reply.at("/choices/0/message/content").asText()).isEqualTo("Echo: Describe this");
    }

    @Test
    void bare429AndProblemDetails500() {
        sim.onModel("nv-429", Behaviour.status(429));
        HttpResponse<String> limited = post(chatUrl, chat("nv-429", "x"), "Authorization", AUTH);
        assertThat(limited.statusCode()).isEqualTo(429);
        JsonNode bare = json(limited);
        assertThat(bare.path("status").asInt()).isEqualTo(429);
        assertThat(bare.path("title").asText()).isEqualTo("Too Many Requests");
        assertThat(bare.size()).isEqualTo(2);

        sim.onModel("nv-500", Behaviour.status(500));
        JsonNode problem = json(post(chatUrl, chat("nv-500", "x"), "Authorization", AUTH));
        assertThat(problem.path("status").asInt()).isEqualTo(500);
        assertThat(problem.has("detail")).isTrue();
        assertThat(problem.has("requestId")).isTrue();

        HttpResponse<String> unauthorized = post(chatUrl, chat("nv-x", "x"), "Authorization", "Bearer bad");
        assertThat(unauthorized.statusCode()).isEqualTo(401);
        assertThat(json(unauthorized).path("title").asText()).isEqualTo("Unauthorized");
    }

    @Test
    void streamErrorIsDataErrorLine() {
        sim.onModel("nv-mid", Behaviour.midStreamError());
        List<SimHttp.Event> events = events(post(chatUrl, chat("nv-mid", "a b c d e f").put("stream", true),
                "Authorization", AUTH).body());
        SimHttp.Event last = events.getLast();
        assertThat(last.event()).isNull();
        assertThat(last.json().at("/error/message").asText()).isNotBlank();
        assertThat(events).noneMatch(e -> e.data().equals("[DONE]"));
    }
}
