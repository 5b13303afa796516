package io.inferenceworker.provider.vultr;

import static io.inferenceworker.provider.ChatFixtures.call;
import static io.inferenceworker.provider.ChatFixtures.request;
import static io.inferenceworker.provider.ChatFixtures.settings;
import static io.inferenceworker.provider.ChatFixtures.streamingCall;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inferenceworker.provider.ChatCall;
import io.inferenceworker.provider.ChatFixtures.RecordingSink;
import io.inferenceworker.provider.ChatProvider;
import io.inferenceworker.provider.ChatReply;
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
import io.inferenceworker.testkit.sim.Dialect;
import io.inferenceworker.testkit.sim.ProviderSimulator;
import io.inferenceworker.testkit.sim.RecordedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Vultr adapter's successful paths (chat, stream, tools, reasoning, RAG) against the simulator's VULTR dialect. */
class VultrProviderTest {
    private static final String KEY = "vultr-inference-key-0123";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String WEATHER_SCHEMA = """
            {"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""";

    @RegisterExtension
    static final SimulatorWorld WORLD = SimulatorWorld.of(ProviderSimulator.builder().withApiKey(Dialect.VULTR, KEY));

    private static ChatProvider provider;

    @BeforeAll
    static void start() {
        provider = vultr(Map.of());
    }

    private static ChatProvider vultr(Map<String, String> options) {
        ProviderSettings settings = WORLD.settings("vu", "vultr", Dialect.VULTR);
        settings.setApiKey(KEY);
        settings.setOptions(options);
        return WORLD.create(VultrProviderFactory::new, settings);
    }

    private static String model(String scenario, Behaviour... behaviours) {
        return WORLD.model(scenario, behaviours);
    }

    private static RecordedRequest onlyRequest(String model) {
        List<RecordedRequest> requests = WORLD.simulator().requestsForModel(model);
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }

    private static Tool weatherTool() {
        return new Tool("function", "get_weather", "Weather of a city", WEATHER_SCHEMA, null);
    }

    @Test
    void answersWithoutObjectMemberAndKeepsIdsAndUsage() {
        String model = model("ok");
        ChatReply reply = provider.complete(call(request(model, "Hello Vultr world").build(), TIMEOUT));

        assertThat(reply.responseId()).startsWith("chatcmpl-");
        assertThat(reply.model()).isEqualTo(model);
        assertThat(reply.providerRequestId()).isNotBlank();
        Choice choice = reply.choices().get(0);
        assertThat(choice.getContent()).isEqualTo("Echo: Hello Vultr world");
        assertThat(choice.getFinishReason()).isEqualTo("stop");
        assertThat(reply.usage().getCompletionTokens()).isEqualTo(4);
        assertThat(reply.usage().getTotalTokens()).isEqualTo(reply.usage().getPromptTokens() + 4);

        RecordedRequest sent = onlyRequest(model);
        assertThat(sent.path()).endsWith("/vultr/v1/chat/completions");
        assertThat(sent.header("Authorization")).contains("Bearer " + KEY);
    }

    @Test
    void sendsOnlyWhatTheRequestSets() {
        String model = model("minimal");
        provider.complete(call(request(model, "hi").build(), TIMEOUT));
        List<String> fields = new ArrayList<>();
        onlyRequest(model).body().fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactlyInAnyOrder("model", "messages");
    }

    @Test
    void sendsEverySupportedParameterAsGiven() {
        String model = model("params");
        provider.complete(call(request(model, "one two three four five").setMaxTokens(3).setTemperature(0.2)
                .setTopP(0.5).setTopK(40).setSeed(-1L).build(), TIMEOUT));

        JsonNode body = onlyRequest(model).body();
        assertThat(body.path("max_tokens").asInt()).isEqualTo(3);
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(body.path("top_p").asDouble()).isEqualTo(0.5);
        assertThat(body.path("top_k").asInt()).isEqualTo(40);
        assertThat(body.path("seed").asLong()).isEqualTo(-1L);
        assertThat(body.has("stop")).isFalse();
    }

    @Test
    void maxTokensCutIsReportedAsLength() {
        ChatReply reply = provider.complete(call(request(model("cut"), "one two three four five")
                .setMaxTokens(2).build(), TIMEOUT));
        assertThat(reply.choices().get(0).getFinishReason()).isEqualTo("length");
    }

    @Test
    void forwardsTraceparent() {
        String model = model("trace");
        String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        var request = request(model, "hi").build();
        provider.complete(ChatCall.of(request.getJobId(), request, 1, Instant.now().plus(TIMEOUT))
                .withTraceparent(Optional.of(traceparent)));
        assertThat(onlyRequest(model).header("traceparent")).contains(traceparent);
    }

    @Test
    void textPartsAreSentAsParts() {
        String model = model("parts");
        Message message = Message.newBuilder().setRole(Role.USER).setContent(List.of(
                new ContentPart(ContentPartType.TEXT, "part one", null, null))).build();
        ChatReply reply = provider.complete(call(request(model, "x").setMessages(List.of(message)).build(),
                TIMEOUT));
        assertThat(reply.choices().get(0).getContent()).isEqualTo("Echo: part one");
        assertThat(onlyRequest(model).body().at("/messages/0/content/0/text").asText()).isEqualTo("part one");
    }

    @Test
    void streamsDeltasAndAssemblesTheReply() {
        String model = model("stream", Behaviour.ok("alpha beta gamma"));
        RecordingSink sink = new RecordingSink();
        ChatReply reply = provider.complete(streamingCall(request(model, "hi").setStream(true).build(), TIMEOUT,
                sink));

        assertThat(reply.choices().get(0).getContent()).isEqualTo("alpha beta gamma");
        assertThat(reply.choices().get(0).getFinishReason()).isEqualTo("stop");
        assertThat(reply.responseId()).startsWith("chatcmpl-");
        assertThat(reply.providerRequestId()).isNotBlank();
        assertThat(sink.content(0)).isEqualTo("alpha beta gamma");
        assertThat(sink.deltas().size()).isGreaterThan(3);
        // The 1.2.0 reference has no stream_options, so the stream brings no usage: it is estimated (bytes / 4).
        assertThat(reply.usage().getEstimated()).isTrue();
        assertThat(reply.usage().getCompletionTokens()).isEqualTo(4);
        assertThat(reply.usage().getPromptTokens()).isEqualTo(1);
        assertThat(reply.usage().getTotalTokens()).isEqualTo(5);
        JsonNode body = onlyRequest(model).body();
        assertThat(body.has("stream_options")).isFalse();
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(onlyRequest(model).header("Accept")).contains("text/event-stream");
    }

    @Test
    void streamFlagWithoutSinkGetsOneJsonAnswer() {
        String model = model("nosink", Behaviour.ok("plain answer"));
        ChatReply reply = provider.complete(call(request(model, "hi").setStream(true).build(), TIMEOUT));
        assertThat(reply.choices().get(0).getContent()).isEqualTo("plain answer");
        assertThat(onlyRequest(model).body().has("stream")).isFalse();
    }

    @Test
    void toolCallKeepsArgumentsAsTheModelProducedThem() {
        String model = model("kimi-tool");
        ChatReply reply = provider.complete(call(request(model, "What is the weather in Paris?")
                .setTools(List.of(weatherTool()))
                .setToolChoice(new ToolChoice(ToolChoiceMode.REQUIRED, null)).build(), TIMEOUT));

        Choice choice = reply.choices().get(0);
        assertThat(choice.getFinishReason()).isEqualTo("tool_calls");
        ToolCall toolCall = choice.getToolCalls().get(0);
        assertThat(toolCall.getName()).isEqualTo("get_weather");
        assertThat(toolCall.getArguments()).isEqualTo("{\"city\":\"example\"}");
        // Vultr's sample tool call has no id, and none is made up.
        assertThat(toolCall.getId()).isNull();
        JsonNode body = onlyRequest(model).body();
        assertThat(body.path("tool_choice").asText()).isEqualTo("required");
        assertThat(body.at("/tools/0/function/name").asText()).isEqualTo("get_weather");
        assertThat(body.at("/tools/0/function/parameters/required/0").asText()).isEqualTo("city");
    }

    @Test
    void streamedToolCallFragmentsAreMerged() {
        String args = "{\"city\": \"Paris\", \"unit\": \"celsius\"}";
        String model = model("kimi-stream-tool", Behaviour.toolCall("get_weather", args));
        RecordingSink sink = new RecordingSink();
        ChatReply reply = provider.complete(streamingCall(request(model, "weather?").setStream(true)
                .setTools(List.of(weatherTool())).setToolChoice(new ToolChoice(ToolChoiceMode.AUTO, null)).build(),
                TIMEOUT, sink));
        ToolCall toolCall = reply.choices().get(0).getToolCalls().get(0);
        assertThat(toolCall.getName()).isEqualTo("get_weather");
        assertThat(toolCall.getArguments()).isEqualTo(args);
        assertThat(reply.choices().get(0).getFinishReason()).isEqualTo("tool_calls");
        assertThat(sink.deltas()).anySatisfy(d -> assertThat(d.toolCalls()).isNotEmpty());
    }

    @Test
    void toolChoiceNoneIsSent() {
        String model = model("tool-none");
        ChatReply reply = provider.complete(call(request(model, "weather in Rome?").setTools(List.of(weatherTool()))
                .setToolChoice(new ToolChoice(ToolChoiceMode.NONE, null)).build(), TIMEOUT));
        assertThat(reply.choices().get(0).getToolCalls()).isNullOrEmpty();
        assertThat(onlyRequest(model).body().path("tool_choice").asText()).isEqualTo("none");
    }

    @Test
    void reasoningContentIsKept() {
        ChatReply reply = provider.complete(call(request(model("reason",
                Behaviour.okWithReasoning("42", "think hard")), "q").build(), TIMEOUT));
        assertThat(reply.choices().get(0).getReasoningContent()).isEqualTo("think hard");
        assertThat(reply.choices().get(0).getContent()).isEqualTo("42");

        RecordingSink sink = new RecordingSink();
        ChatReply streamed = provider.complete(streamingCall(request(model("sreason",
                Behaviour.okWithReasoning("42", "think hard")), "q").setStream(true).build(), TIMEOUT, sink));
        assertThat(streamed.choices().get(0).getReasoningContent()).isEqualTo("think hard");
    }

    @Test
    void ragCollectionGoesToTheRagPathBesideTheChatFields() {
        String model = model("rag");
        ChatReply reply = provider.complete(call(request(model, "what does the handbook say")
                .setRagCollection("handbook-1").setTemperature(0.3).build(), TIMEOUT));

        assertThat(reply.choices().get(0).getContent()).isEqualTo("Echo: what does the handbook say");
        RecordedRequest sent = onlyRequest(model);
        assertThat(sent.path()).endsWith("/vultr/v1/chat/completions/RAG");
        assertThat(sent.body().path("collection").asText()).isEqualTo("handbook-1");
        assertThat(sent.body().path("model").asText()).isEqualTo(model);
        assertThat(sent.body().path("temperature").asDouble()).isEqualTo(0.3);
        assertThat(sent.body().has("rag_collection")).isFalse();
    }

    @Test
    void ragStreams() {
        String model = model("ragstream", Behaviour.ok("from the docs"));
        RecordingSink sink = new RecordingSink();
        ChatReply reply = provider.complete(streamingCall(request(model, "q").setRagCollection("c-9")
                .setStream(true).build(), TIMEOUT, sink));
        assertThat(reply.choices().get(0).getContent()).isEqualTo("from the docs");
        assertThat(sink.content(0)).isEqualTo("from the docs");
        RecordedRequest sent = onlyRequest(model);
        assertThat(sent.path()).endsWith("/RAG");
        assertThat(sent.body().path("collection").asText()).isEqualTo("c-9");
        assertThat(sent.body().path("stream").asBoolean()).isTrue();
    }

    @Test
    void ragPathIsConfigurable() {
        ChatProvider lowercase = vultr(Map.of("rag-path", "/v1/chat/completions/rag"));
        String model = model("raglower");
        lowercase.complete(call(request(model, "q").setRagCollection("c-1").build(), TIMEOUT));
        assertThat(onlyRequest(model).path()).endsWith("/vultr/v1/chat/completions/rag");
        assertThat(((VultrProvider) lowercase).ragEndpoint().toString()).endsWith("/v1/chat/completions/rag");
    }

    @Test
    void repliedUsageIsNotMarkedEstimated() {
        ChatReply reply = provider.complete(call(request(model("reported"), "hi").build(), TIMEOUT));
        assertThat(reply.usage().getEstimated()).isNull();
    }

    @Test
    void ragWithToolsIsSent() {
        String model = model("rag-tools", Behaviour.toolCall("get_weather", "{\"city\":\"Oslo\"}"));
        var request = request(model, "weather per the docs?").setRagCollection("c-2").setStream(true)
                .setTools(List.of(weatherTool())).setToolChoice(new ToolChoice(ToolChoiceMode.AUTO, null)).build();
        provider.validate(request);
        ChatReply reply = provider.complete(streamingCall(request, TIMEOUT, new RecordingSink()));
        assertThat(reply.choices().get(0).getToolCalls()).singleElement()
                .satisfies(c -> assertThat(c.getArguments()).isEqualTo("{\"city\":\"Oslo\"}"));
        RecordedRequest sent = onlyRequest(model);
        assertThat(sent.path()).endsWith("/RAG");
        assertThat(sent.body().at("/tools/0/function/name").asText()).isEqualTo("get_weather");
    }

    @Test
    void defaultModelIsUsedWhenTheRequestNamesNone() {
        String model = model("default");
        ProviderSettings settings = settings("vd", "vultr", WORLD.simulator().baseUrl(Dialect.VULTR) + "/");
        settings.setApiKey(KEY);
        settings.setDefaultModel(model);
        ChatProvider withDefault = WORLD.create(VultrProviderFactory::new, settings);
        var request = request(null, "hi").build();
        withDefault.validate(request);
        ChatReply reply = withDefault.complete(call(request, TIMEOUT));
        assertThat(reply.model()).isEqualTo(model);
    }
}
