package io.inferenceworker.provider.compat;

import io.inferenceworker.provider.ChatFixtures;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inferenceworker.provider.InvalidRequestException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inferenceworker.schemas.CompletionRequest;
import io.inferenceworker.schemas.ContentPart;
import io.inferenceworker.schemas.ContentPartType;
import io.inferenceworker.schemas.Message;
import io.inferenceworker.schemas.ResponseFormat;
import io.inferenceworker.schemas.ResponseFormatType;
import io.inferenceworker.schemas.Role;
import io.inferenceworker.schemas.Tool;
import io.inferenceworker.schemas.ToolCall;
import io.inferenceworker.schemas.ToolChoice;
import io.inferenceworker.schemas.ToolChoiceMode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenAiRequestMapperTest {
    private final ObjectMapper json = OpenAiJson.newMapper();
    private final OpenAiRequestMapper mapper = new OpenAiRequestMapper(json);

    private JsonNode wire(CompletionRequest request) throws Exception {
        return json.readTree(json.writeValueAsString(mapper.map(request, "default-model", "p")));
    }

    @Test
    void sendsOnlyWhatTheRequestSets() throws Exception {
        JsonNode body = wire(ChatFixtures.request("m", "hi").build());
        assertThat(body.properties()).extracting(Map.Entry::getKey).containsExactly("model", "messages");
        assertThat(body.path("messages").get(0).toString()).isEqualTo("{\"role\":\"user\",\"content\":\"hi\"}");
    }

    @Test
    void usesTheDefaultModelAndRejectsNoModelAtAll() throws Exception {
        assertThat(wire(ChatFixtures.request(null, "hi").build()).path("model").asText()).isEqualTo("default-model");
        assertThatThrownBy(() -> mapper.map(ChatFixtures.request(null, "hi").build(), null, "vultr-main"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.parameter()).isEqualTo("model");
                    assertThat(e.getMessage()).contains("vultr-main");
                });
    }

    @Test
    void mapsEverySamplingParameter() throws Exception {
        JsonNode body = wire(ChatFixtures.request("m", "hi")
                .setMaxTokens(10).setTemperature(0.5).setTopP(0.9).setTopK(40).setSeed(7L).setStop(List.of("\n"))
                .setN(2).setFrequencyPenalty(0.1).setPresencePenalty(-0.1).setLogprobs(true).setTopLogprobs(3)
                .setLogitBias(Map.of("50256", -100))
                .build());
        assertThat(body.path("max_tokens").asInt()).isEqualTo(10);
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.5);
        assertThat(body.path("top_p").asDouble()).isEqualTo(0.9);
        assertThat(body.path("top_k").asInt()).isEqualTo(40);
        assertThat(body.path("seed").asLong()).isEqualTo(7L);
        assertThat(body.path("stop").toString()).isEqualTo("[\"\\n\"]");
        assertThat(body.path("n").asInt()).isEqualTo(2);
        assertThat(body.path("frequency_penalty").asDouble()).isEqualTo(0.1);
        assertThat(body.path("presence_penalty").asDouble()).isEqualTo(-0.1);
        assertThat(body.path("logprobs").asBoolean()).isTrue();
        assertThat(body.path("top_logprobs").asInt()).isEqualTo(3);
        assertThat(body.path("logit_bias").toString()).isEqualTo("{\"50256\":-100}");
        assertThat(body.has("stream")).isFalse();
    }

    @Test
    void mapsPartsToolCallsReasoningAndToolMessages() throws Exception {
        Message user = Message.newBuilder().setRole(Role.USER).setContent(List.of(
                new ContentPart(ContentPartType.TEXT, "look", null, null),
                new ContentPart(ContentPartType.IMAGE_URL, null, "https://x/img.png", "low"),
                new ContentPart(ContentPartType.VIDEO_URL, null, "https://x/v.mp4", null))).build();
        Message assistant = Message.newBuilder().setRole(Role.ASSISTANT).setContent(null)
                .setReasoningContent("I should call it")
                .setToolCalls(List.of(new ToolCall("call_1", "function", "get_weather", "{\"city\": \"Paris\" }")))
                .build();
        Message tool = Message.newBuilder().setRole(Role.TOOL).setToolCallId("call_1").setName("get_weather")
                .setContent("{\"temp\":21}").build();
        JsonNode messages = wire(ChatFixtures.request("m", "x").setMessages(List.of(user, assistant, tool)).build())
                .path("messages");
        assertThat(messages.get(0).path("content").toString()).isEqualTo("[{\"type\":\"text\",\"text\":\"look\"},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://x/img.png\",\"detail\":\"low\"}},"
                + "{\"type\":\"video_url\",\"video_url\":{\"url\":\"https://x/v.mp4\"}}]");
        assertThat(messages.get(1).has("content")).isFalse();
        assertThat(messages.get(1).path("reasoning_content").asText()).isEqualTo("I should call it");
        assertThat(messages.get(1).path("tool_calls").toString()).isEqualTo("[{\"id\":\"call_1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\": \\\"Paris\\\" }\"}}]");
        assertThat(messages.get(2).toString()).isEqualTo(
                "{\"role\":\"tool\",\"content\":\"{\\\"temp\\\":21}\",\"name\":\"get_weather\",\"tool_call_id\":\"call_1\"}");
    }

    @Test
    void parsesJsonTextFieldsIntoJson() throws Exception {
        JsonNode body = wire(ChatFixtures.request("m", "hi")
                .setTools(List.of(new Tool("function", "get_weather", "Weather",
                        "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}", true)))
                .setToolChoice(new ToolChoice(ToolChoiceMode.FUNCTION, "get_weather"))
                .setResponseFormat(new ResponseFormat(ResponseFormatType.JSON_SCHEMA,
                        "{\"name\":\"a\",\"schema\":{\"type\":\"object\"},\"strict\":true}"))
                .setChatTemplateKwargs("{\"enable_thinking\": false}")
                .build());
        assertThat(body.path("tools").toString()).isEqualTo("[{\"type\":\"function\",\"function\":{\"name\":"
                + "\"get_weather\",\"description\":\"Weather\",\"parameters\":{\"type\":\"object\",\"properties\":"
                + "{\"city\":{\"type\":\"string\"}}},\"strict\":true}}]");
        assertThat(body.path("tool_choice").toString())
                .isEqualTo("{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}");
        assertThat(body.path("response_format").toString()).isEqualTo(
                "{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"a\",\"schema\":{\"type\":\"object\"},\"strict\":true}}");
        assertThat(body.path("chat_template_kwargs").toString()).isEqualTo("{\"enable_thinking\":false}");
    }

    @Test
    void toolChoiceModesAndFormats() throws Exception {
        for (var mode : List.of(ToolChoiceMode.AUTO, ToolChoiceMode.NONE, ToolChoiceMode.REQUIRED)) {
            assertThat(wire(ChatFixtures.request("m", "hi").setToolChoice(new ToolChoice(mode, null)).build())
                    .path("tool_choice").asText()).isEqualTo(mode.name().toLowerCase());
        }
        assertThat(wire(ChatFixtures.request("m", "hi")
                .setResponseFormat(new ResponseFormat(ResponseFormatType.JSON_OBJECT, null)).build())
                .path("response_format").toString()).isEqualTo("{\"type\":\"json_object\"}");
    }

    @Test
    void invalidJsonTextIsAnInvalidRequestNamingTheField() {
        assertThatThrownBy(() -> mapper.map(ChatFixtures.request("m", "hi")
                .setTools(List.of(new Tool("function", "f", null, "{not json", null))).build(), null, "p"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.parameter()).isEqualTo("tools");
                    assertThat(e.getMessage()).contains("tools[0].parameters is not valid JSON (line 1, column ");
                });
        assertThatThrownBy(() -> mapper.map(ChatFixtures.request("m", "hi").setChatTemplateKwargs("[1]").build(),
                null, "p"))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.parameter()).isEqualTo("chat_template_kwargs"));
        assertThatThrownBy(() -> mapper.map(ChatFixtures.request("m", "hi")
                .setToolChoice(new ToolChoice(ToolChoiceMode.FUNCTION, null)).build(), null, "p"))
                .isInstanceOf(InvalidRequestException.class);
    }

    /** NVIDIA requires content on every message: a tool-call turn gets "", other messages stay as they are. */
    @Test
    void contentOnEveryMessageFillsOnlyMissingContent() throws Exception {
        CompletionRequest request = ChatFixtures.request("m", "hi").setMessages(List.of(
                Message.newBuilder().setRole(Role.USER).setContent("weather?").build(),
                Message.newBuilder().setRole(Role.ASSISTANT).setToolCalls(List.of(
                        new ToolCall("c1", "function", "f", "{}"))).build())).build();
        assertThat(wire(request).at("/messages/1").has("content")).isFalse();
        JsonNode body = json.readTree(json.writeValueAsString(mapper.map(request, null, "p")
                .withContentOnEveryMessage()));
        assertThat(body.at("/messages/0/content").asText()).isEqualTo("weather?");
        assertThat(body.at("/messages/1/content").isTextual()).isTrue();
        assertThat(body.at("/messages/1/content").asText()).isEmpty();
        assertThat(body.at("/messages/1/tool_calls/0/id").asText()).isEqualTo("c1");
    }

    @Test
    void streamOptionsCanBeLeftOut() throws Exception {
        JsonNode body = json.readTree(json.writeValueAsString(
                mapper.map(ChatFixtures.request("m", "hi").build(), null, "p").withStreaming().withoutStreamOptions()));
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.has("stream_options")).isFalse();
    }

    @Test
    void streamingAddsIncludeUsage() throws Exception {
        JsonNode body = json.readTree(json.writeValueAsString(
                mapper.map(ChatFixtures.request("m", "hi").setMaxTokens(5).build(), null, "p").withStreaming()
                        .withMaxTokensAsMaxCompletionTokens()));
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.path("stream_options").toString()).isEqualTo("{\"include_usage\":true}");
        assertThat(body.has("max_tokens")).isFalse();
        assertThat(body.path("max_completion_tokens").asInt()).isEqualTo(5);
    }
}
