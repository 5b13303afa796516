package io.inferenceworker.provider.nvidia;

import static io.inferenceworker.provider.ChatFixtures.call;
import static io.inferenceworker.provider.ChatFixtures.request;
import static io.inferenceworker.provider.ChatFixtures.streamingCall;
import static io.inferenceworker.provider.nvidia.NvidiaFixtures.API_KEY;
import static io.inferenceworker.provider.nvidia.NvidiaFixtures.nvidiaSettings;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inferenceworker.provider.ChatFixtures.RecordingSink;
import io.inferenceworker.provider.ChatProvider;
import io.inferenceworker.provider.ChatReply;
import io.inferenceworker.provider.Delta;
import io.inferenceworker.provider.ProviderSettings;
import io.inferenceworker.provider.SimulatorWorld;
import io.inferenceworker.schemas.Choice;
import io.inferenceworker.schemas.ContentPart;
import io.inferenceworker.schemas.ContentPartType;
import io.inferenceworker.schemas.Message;
import io.inferenceworker.schemas.Role;
import io.inferenceworker.schemas.Tool;
import io.inferenceworker.schemas.ToolCall;
import io.inferenceworker.schemas.ToolChoice;
import io.inferenceworker.schemas.ToolChoiceMode;
import io.inferenceworker.testkit.sim.Behaviour;
import io.inferenceworker.testkit.sim.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The NVIDIA adapter's successful answers against the real simulator's NVIDIA dialect. */
class NvidiaProviderTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WEATHER_SCHEMA = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
            + "\"required\":[\"city\"]}";

    @RegisterExtension
    static final SimulatorWorld WORLD = NvidiaFixtures.world();

    private static ChatProvider provider;

    @BeforeAll
    static void start() {
        provider = WORLD.create(NvidiaProviderFactory::new, nvidiaSettings(WORLD.simulator(), Map.of()));
    }

    private static String model(String scenario, Behaviour... behaviours) {
        return WORLD.model(scenario, behaviours);
    }

    private static JsonNode sentBody(String model) {
        return WORLD.simulator().requestsForModel(model).getLast().body();
    }

    private static Tool weatherTool() {
        return new Tool("function", "get_weather", "Weather of a city", WEATHER_SCHEMA, null);
    }

    @Test
    void requestWithoutModelGoesToTheDocumentedDefaultModel() {
        ChatReply reply = provider.complete(call(request(null, "hello there").build(), TIMEOUT));

        assertThat(reply.model()).isEqualTo("moonshotai/kimi-k2.6");
        assertThat(reply.choices()).singleElement().satisfies(choice -> {
            assertThat(choice.getContent()).isEqualTo("Echo: hello there");
            assertThat(choice.getFinishReason()).isEqualTo("stop");
            assertThat(choice.getRole()).isEqualTo("assistant");
        });
        assertThat(reply.responseId()).startsWith("chatcmpl-");
        assertThat(reply.providerRequestId()).as("the NVCF-REQID header").isNotBlank();
        assertThat(reply.usage().getTotalTokens()).isPositive();
        RecordedRequest sent = WORLD.simulator().requestsForModel("moonshotai/kimi-k2.6").getLast();
        assertThat(sent.path()).endsWith("/v1/chat/completions");
        assertThat(sent.body().path("model").asText()).isEqualTo("moonshotai/kimi-k2.6");
        assertThat(sent.header("Authorization")).contains("Bearer " + API_KEY);
        assertThat(sent.body().has("stream")).isFalse();
    }

    @Test
    void configuredDefaultModelWinsOverTheDocumentedOne() {
        ProviderSettings settings = nvidiaSettings(WORLD.simulator(), Map.of());
        String model = model("configured-default");
        settings.setDefaultModel(model);
        ChatProvider configured = WORLD.create(NvidiaProviderFactory::new, settings);

        ChatReply reply = configured.complete(call(request(null, "hi").build(), TIMEOUT));

        assertThat(reply.model()).isEqualTo(model);
        assertThat(sentBody(model).path("model").asText()).isEqualTo(model);
    }

    @Test
    void onlyTheParametersTheRequestSetsAreSent() {
        String model = model("params");
        provider.complete(call(request(model, "hi").setTemperature(0.2).setTopP(0.9).setMaxTokens(64)
                .setSeed(7L).build(), TIMEOUT));

        JsonNode body = sentBody(model);
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(body.path("top_p").asDouble()).isEqualTo(0.9);
        assertThat(body.path("max_tokens").asInt()).isEqualTo(64);
        assertThat(body.path("seed").asLong()).isEqualTo(7L);
        assertThat(fieldNames(body)).containsExactlyInAnyOrder("model", "messages", "temperature", "top_p",
                "max_tokens", "seed");
    }

    private static List<String> fieldNames(JsonNode body) {
        List<String> names = new ArrayList<>();
        body.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void chatTemplateKwargsArePassedThroughUnchangedAndReasoningIsRead() throws Exception {
        String model = model("think");
        String kwargs = "{\"thinking\":true,\"nested\":{\"budget\":[1,2]},\"label\":\"x\"}";

        ChatReply reply = provider.complete(call(request(model, "Why is the sky blue?").setChatTemplateKwargs(kwargs)
                .build(), TIMEOUT));

        assertThat(sentBody(model).path("chat_template_kwargs")).isEqualTo(JSON.readTree(kwargs));
        assertThat(reply.choices().getFirst().getReasoningContent()).startsWith("Thinking about: Why");
        assertThat(reply.choices().getFirst().getContent()).isEqualTo("Echo: Why is the sky blue?");
        assertThat(reply.usage().getReasoningTokens()).isPositive();
    }

    @Test
    void reasoningContentOfAnEarlierAssistantTurnIsSentBack() {
        String model = model("history", Behaviour.okWithReasoning("8", "4 + 4"));
        List<Message> history = List.of(
                Message.newBuilder().setRole(Role.SYSTEM).setContent("Be brief.").build(),
                Message.newBuilder().setRole(Role.USER).setContent("2+2?").build(),
                Message.newBuilder().setRole(Role.ASSISTANT).setContent("4").setReasoningContent("2 + 2 = 4").build(),
                Message.newBuilder().setRole(Role.USER).setContent("and doubled?").build());

        ChatReply reply = provider.complete(call(request(model, "x").setMessages(history).build(), TIMEOUT));

        JsonNode sent = sentBody(model).path("messages");
        assertThat(sent.get(2).path("role").asText()).isEqualTo("assistant");
        assertThat(sent.get(2).path("reasoning_content").asText()).isEqualTo("2 + 2 = 4");
        assertThat(sent.get(1).has("reasoning_content")).isFalse();
        assertThat(reply.choices().getFirst().getReasoningContent()).isEqualTo("4 + 4");
        assertThat(reply.choices().getFirst().getContent()).isEqualTo("8");
    }

    @Test
    void streamsReasoningAndContentDeltasAndTheUsageChunk() {
        String model = model("stream", Behaviour.okWithReasoning("The sky scatters blue light.",
                "Rayleigh scattering applies"));
        RecordingSink sink = new RecordingSink();

        ChatReply reply = provider.complete(streamingCall(request(model, "why blue?").setStream(true).build(),
                TIMEOUT, sink));

        String reasoning = sink.deltas().stream().map(Delta::reasoning).filter(Objects::nonNull)
                .reduce("", String::concat);
        assertThat(reasoning).isEqualTo("Rayleigh scattering applies");
        assertThat(sink.content(0)).isEqualTo("The sky scatters blue light.");
        assertThat(sink.deltas().size()).isGreaterThan(4);
        Choice choice = reply.choices().getFirst();
        assertThat(choice.getReasoningContent()).isEqualTo("Rayleigh scattering applies");
        assertThat(choice.getContent()).isEqualTo("The sky scatters blue light.");
        assertThat(choice.getFinishReason()).isEqualTo("stop");
        assertThat(reply.usage()).isNotNull();
        assertThat(reply.usage().getReasoningTokens()).isPositive();
        assertThat(reply.providerRequestId()).isNotBlank();
        JsonNode body = sentBody(model);
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.at("/stream_options/include_usage").asBoolean()).isTrue();
        assertThat(WORLD.simulator().requestsForModel(model).getLast().header("Accept")).contains("text/event-stream");
    }

    @Test
    void toolCallKeepsTheArgumentsTextAndANamedToolChoiceIsSent() {
        String arguments = "{\"city\": \"Paris\",  \"unit\": \"celsius\"}";
        String model = model("tool", Behaviour.toolCall("get_weather", arguments));

        ChatReply reply = provider.complete(call(request(model, "weather in Paris?").setTools(List.of(weatherTool()))
                .setToolChoice(new ToolChoice(ToolChoiceMode.FUNCTION, "get_weather")).build(), TIMEOUT));

        Choice choice = reply.choices().getFirst();
        assertThat(choice.getFinishReason()).isEqualTo("tool_calls");
        assertThat(choice.getToolCalls()).singleElement().satisfies(call -> {
            assertThat(call.getName()).isEqualTo("get_weather");
            assertThat(call.getArguments()).isEqualTo(arguments);
            assertThat(call.getId()).isNotBlank();
        });
        JsonNode body = sentBody(model);
        assertThat(body.at("/tool_choice/type").asText()).isEqualTo("function");
        assertThat(body.at("/tool_choice/function/name").asText()).isEqualTo("get_weather");
        assertThat(body.at("/tools/0/function/name").asText()).isEqualTo("get_weather");
        assertThat(body.at("/tools/0/function/parameters/required/0").asText()).isEqualTo("city");
    }

    @Test
    void streamedToolCallFragmentsAreMerged() {
        String model = model("tool-stream");
        RecordingSink sink = new RecordingSink();

        ChatReply reply = provider.complete(streamingCall(request(model, "What is the weather in Oslo?")
                .setTools(List.of(weatherTool())).setToolChoice(new ToolChoice(ToolChoiceMode.REQUIRED, null))
                .setStream(true).build(), TIMEOUT, sink));

        ToolCall call = reply.choices().getFirst().getToolCalls().getFirst();
        assertThat(call.getName()).isEqualTo("get_weather");
        assertThat(call.getArguments()).isEqualTo("{\"city\":\"example\"}");
        assertThat(sink.deltas()).anySatisfy(d -> assertThat(d.toolCalls()).isNotEmpty());
        assertThat(sentBody(model).path("tool_choice").asText()).isEqualTo("required");
    }

    @Test
    void toolResultsAreSentBackWithTheirCallIds() {
        String model = model("tool-result", Behaviour.ok("It is sunny."));
        List<Message> history = List.of(
                Message.newBuilder().setRole(Role.USER).setContent("weather in Rome?").build(),
                Message.newBuilder().setRole(Role.ASSISTANT).setToolCalls(List.of(
                        new ToolCall("call_1", "function", "get_weather", "{\"city\":\"Rome\"}"))).build(),
                Message.newBuilder().setRole(Role.TOOL).setToolCallId("call_1").setContent("{\"sky\":\"clear\"}")
                        .build());

        ChatReply reply = provider.complete(call(request(model, "x").setMessages(history)
                .setTools(List.of(weatherTool())).setToolChoice(new ToolChoice(ToolChoiceMode.NONE, null)).build(),
                TIMEOUT));

        assertThat(reply.choices().getFirst().getContent()).isEqualTo("It is sunny.");
        JsonNode sent = sentBody(model);
        assertThat(sent.at("/messages/1/tool_calls/0/function/arguments").asText()).isEqualTo("{\"city\":\"Rome\"}");
        // content is required on every message: the tool-call turn carries "" (the simulator refuses it missing).
        assertThat(sent.at("/messages/1/content").isTextual()).isTrue();
        assertThat(sent.at("/messages/1/content").asText()).isEmpty();
        assertThat(sent.at("/messages/2/tool_call_id").asText()).isEqualTo("call_1");
        assertThat(sent.path("tool_choice").asText()).isEqualTo("none");
    }

    @Test
    void assetIdsGoInTheAssetReferencesHeader() {
        String model = model("assets");
        String first = "0b4f2e6a-3c1d-4e5f-8a9b-0c1d2e3f4a5b";
        String second = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d";
        var request = request(model, "Compare <img src=\"data:image/png;asset_id," + first + "\" /> and "
                + "<img src=\"data:image/jpeg;asset_id," + second + "\" />").setAssetIds(List.of(first, second))
                .build();
        provider.validate(request);
        ChatReply reply = provider.complete(call(request, TIMEOUT));
        assertThat(reply.choices().getFirst().getContent()).startsWith("Echo: Compare");
        RecordedRequest sent = WORLD.simulator().requestsForModel(model).getLast();
        assertThat(sent.header("NVCF-INPUT-ASSET-REFERENCES")).contains(first + "," + second);
        assertThat(sent.body().has("asset_ids")).isFalse();
    }

    @Test
    void noAssetHeaderWithoutAssetIds() {
        String model = model("no-assets");
        provider.complete(call(request(model, "hi").build(), TIMEOUT));
        assertThat(WORLD.simulator().requestsForModel(model).getLast().header("NVCF-INPUT-ASSET-REFERENCES"))
                .isEmpty();
    }

    @Test
    void imageAndVideoPartsOfAUserMessageAreSent() {
        String model = model("media");
        Message user = Message.newBuilder().setRole(Role.USER).setContent(List.of(
                new ContentPart(ContentPartType.TEXT, "Describe both", null, null),
                new ContentPart(ContentPartType.IMAGE_URL, null, "data:image/png;base64,iVBORw0KGgo=", "low"),
                new ContentPart(ContentPartType.VIDEO_URL, null, "https://example.com/clip.mp4", null))).build();

        ChatReply reply = provider.complete(call(request(model, "x").setMessages(List.of(user)).build(), TIMEOUT));

        assertThat(reply.choices().getFirst().getContent()).isEqualTo("Echo: Describe both");
        JsonNode parts = sentBody(model).at("/messages/0/content");
        assertThat(parts.get(1).path("type").asText()).isEqualTo("image_url");
        assertThat(parts.get(1).at("/image_url/url").asText()).isEqualTo("data:image/png;base64,iVBORw0KGgo=");
        assertThat(parts.get(1).at("/image_url/detail").asText()).isEqualTo("low");
        assertThat(parts.get(2).path("type").asText()).isEqualTo("video_url");
        assertThat(parts.get(2).at("/video_url/url").asText()).isEqualTo("https://example.com/clip.mp4");
    }

    @Test
    void lengthLimitIsReportedAsFinishReason() {
        String model = model("length", Behaviour.ok("one two three four five six"));
        ChatReply reply = provider.complete(call(request(model, "count").setMaxTokens(2).build(), TIMEOUT));
        assertThat(reply.choices().getFirst().getFinishReason()).isEqualTo("length");
        assertThat(reply.usage().getCompletionTokens()).isEqualTo(2);
    }
}
