package io.inferenceworker.provider.elastic;

import static io.inferenceworker.provider.ChatFixtures.call;
import static io.inferenceworker.provider.ChatFixtures.request;
import static io.inferenceworker.provider.ChatFixtures.streamingCall;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inferenceworker.provider.ChatFixtures.RecordingSink;
import io.inferenceworker.provider.ChatProvider;
import io.inferenceworker.provider.ChatReply;
import io.inferenceworker.provider.Delta;
import io.inferenceworker.provider.ProviderSettings;
import io.inferenceworker.provider.SimulatorWorld;
import io.inferenceworker.schemas.Choice;
import io.inferenceworker.schemas.CompletionRequest;
import io.inferenceworker.schemas.ContentPart;
import io.inferenceworker.schemas.ContentPartType;
import io.inferenceworker.schemas.Message;
import io.inferenceworker.schemas.Role;
import io.inferenceworker.schemas.Tool;
import io.inferenceworker.schemas.ToolCall;
import io.inferenceworker.schemas.ToolCallDelta;
import io.inferenceworker.schemas.ToolChoice;
import io.inferenceworker.schemas.ToolChoiceMode;
import io.inferenceworker.testkit.sim.Behaviour;
import io.inferenceworker.testkit.sim.Dialect;
import io.inferenceworker.testkit.sim.ProviderSimulator;
import io.inferenceworker.testkit.sim.RecordedRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Elasticsearch adapter against the real simulator's ELASTIC dialect: answers, streams, tools, the wire. */
class ElasticProviderTest {
    /** What Elasticsearch's create-API-key answer calls {@code encoded}: base64 of {@code id:api_key}. */
    private static final String KEY = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @RegisterExtension
    static final SimulatorWorld WORLD = SimulatorWorld.of(ProviderSimulator.builder().withApiKey(Dialect.ELASTIC, KEY));

    private static ChatProvider provider;

    @BeforeAll
    static void start() {
        provider = elastic(Map.of(), null);
    }

    private static ChatProvider elastic(Map<String, String> options, String defaultModel) {
        ProviderSettings settings = WORLD.settings("es", "elastic", Dialect.ELASTIC);
        settings.setApiKey(KEY);
        settings.setDefaultModel(defaultModel);
        settings.setOptions(options);
        return WORLD.create(ElasticProviderFactory::new, settings);
    }

    /** A fresh inference ID, programmed with {@code behaviours} when given. */
    private static String inferenceId(String scenario, Behaviour... behaviours) {
        return WORLD.model(scenario, behaviours);
    }

    private static RecordedRequest onlyRequest(String key) {
        List<RecordedRequest> requests = WORLD.simulator().requestsForModel(key);
        assertThat(requests).hasSize(1);
        return requests.getFirst();
    }

    @Test
    void nonStreamingJobGetsTheAssembledStream() {
        String id = inferenceId("plain", Behaviour.ok("alpha beta gamma"));
        CompletionRequest request = request(id, "hello there").build();
        ChatReply reply = provider.complete(call(request, TIMEOUT));

        assertThat(reply.responseId()).startsWith("chatcmpl-");
        assertThat(reply.model()).isEqualTo(id);
        assertThat(reply.choices()).hasSize(1);
        Choice choice = reply.choices().getFirst();
        assertThat(choice.getContent()).isEqualTo("alpha beta gamma");
        assertThat(choice.getRole()).isEqualTo("assistant");
        assertThat(choice.getFinishReason()).isEqualTo("stop");
        assertThat(reply.usage().getCompletionTokens()).isEqualTo(3);
        assertThat(reply.usage().getPromptTokens()).isPositive();
        assertThat(reply.usage().getTotalTokens())
                .isEqualTo(reply.usage().getPromptTokens() + reply.usage().getCompletionTokens());
        assertThat(reply.usage().getCachedTokens()).isZero();
        assertThat(reply.usage().getReasoningTokens()).isZero();

        RecordedRequest sent = onlyRequest(id);
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo("/elastic/_inference/chat_completion/" + id + "/_stream");
        assertThat(sent.header("Authorization")).contains("ApiKey " + KEY);
        assertThat(sent.header("Accept")).contains("text/event-stream");
        assertThat(sent.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(sent.header("X-Opaque-Id")).contains(request.getJobId());
        assertThat(sent.body().has("model")).isFalse();
        assertThat(sent.body().has("stream")).isFalse();
        assertThat(sent.body().has("stream_options")).isFalse();
        assertThat(sent.body().path("messages").get(0).path("role").asText()).isEqualTo("user");
        assertThat(sent.body().path("messages").get(0).path("content").asText()).isEqualTo("hello there");
        // Elastic Cloud's request ID: the simulator generates one per answer, unlike the echoed X-Opaque-Id.
        assertThat(reply.providerRequestId()).isNotNull().isNotEqualTo(request.getJobId());
    }

    @Test
    void timeoutDefaultsToTheTimeLeftUntilTheAttemptDeadline() {
        String id = inferenceId("tmo", Behaviour.ok("x"));
        provider.complete(call(request(id, "hi").build(), TIMEOUT));
        String timeout = onlyRequest(id).queryParam("timeout").orElseThrow();
        assertThat(timeout).matches("\\d+ms");
        assertThat(Long.parseLong(timeout.replace("ms", ""))).isBetween(1_000L, TIMEOUT.toMillis());
    }

    @Test
    void timeoutCanBeFixedOrLeftOut() {
        String fixed = inferenceId("tfix", Behaviour.ok("x"));
        elastic(Map.of("timeout", "45s"), null).complete(call(request(fixed, "hi").build(), TIMEOUT));
        assertThat(onlyRequest(fixed).queryParam("timeout")).contains("45s");

        String none = inferenceId("tnone", Behaviour.ok("x"));
        elastic(Map.of("timeout", "none"), null).complete(call(request(none, "hi").build(), TIMEOUT));
        assertThat(onlyRequest(none).query()).isEmpty();
    }

    @Test
    void streamingJobReceivesEveryDelta() {
        String id = inferenceId("stream", Behaviour.ok("one two three four"));
        RecordingSink sink = new RecordingSink();
        ChatReply reply = provider.complete(streamingCall(request(id, "hi").setStream(true).build(), TIMEOUT,
                sink));
        assertThat(reply.choices().getFirst().getContent()).isEqualTo("one two three four");
        assertThat(sink.content(0)).isEqualTo("one two three four");
        assertThat(sink.deltas()).extracting(Delta::role).contains("assistant");
        assertThat(sink.deltas().getLast().finishReason()).isEqualTo("stop");
        assertThat(reply.usage().getCompletionTokens()).isEqualTo(4);
        // The endpoint streams by itself: the body never asks for it.
        assertThat(onlyRequest(id).body().has("stream")).isFalse();
    }

    @Test
    void jobThatDoesNotStreamSendsNoDeltasEvenWithASink() {
        String id = inferenceId("nosink", Behaviour.ok("quiet words"));
        RecordingSink sink = new RecordingSink();
        ChatReply reply = provider.complete(streamingCall(request(id, "hi").setStream(false).build(), TIMEOUT,
                sink));
        assertThat(reply.choices().getFirst().getContent()).isEqualTo("quiet words");
        assertThat(sink.deltas()).isEmpty();
    }

    @Test
    void supportedParametersAreSentAsElasticsearchNamesThem() {
        String id = inferenceId("params");
        CompletionRequest request = request(id, "one two three four five six").setMaxTokens(2).setTemperature(0.3)
                .setTopP(0.9).setStop(List.of("END", "STOP")).build();
        ChatReply reply = provider.complete(call(request, TIMEOUT));

        JsonNode body = onlyRequest(id).body();
        assertThat(body.path("max_completion_tokens").asInt()).isEqualTo(2);
        assertThat(body.has("max_tokens")).isFalse();
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.3);
        assertThat(body.path("top_p").asDouble()).isEqualTo(0.9);
        assertThat(body.path("stop")).hasSize(2);
        assertThat(body.path("stop").get(1).asText()).isEqualTo("STOP");
        // The simulator cuts the answer at max_completion_tokens words.
        assertThat(reply.choices().getFirst().getFinishReason()).isEqualTo("length");
        assertThat(reply.usage().getCompletionTokens()).isEqualTo(2);
    }

    @Test
    void textPartsAndToolHistoryAreSentInElasticsearchsShape() {
        String id = inferenceId("history", Behaviour.ok("done"));
        List<Message> messages = List.of(
                Message.newBuilder().setRole(Role.SYSTEM).setContent("be brief").build(),
                Message.newBuilder().setRole(Role.USER).setContent(List.of(
                        new ContentPart(ContentPartType.TEXT, "what is the ", null, null),
                        new ContentPart(ContentPartType.TEXT, "weather?", null, null))).build(),
                Message.newBuilder().setRole(Role.ASSISTANT).setToolCalls(List.of(
                        new ToolCall("call-1", "function", "get_weather", "{\"city\":\"Paris\"}"))).build(),
                Message.newBuilder().setRole(Role.TOOL).setToolCallId("call-1").setContent("sunny").build());
        ChatReply reply = provider.complete(call(request(id, "x").setMessages(messages).build(), TIMEOUT));
        assertThat(reply.choices().getFirst().getContent()).isEqualTo("done");

        JsonNode sent = onlyRequest(id).body().path("messages");
        assertThat(sent.get(1).path("content").get(1).path("type").asText()).isEqualTo("text");
        assertThat(sent.get(1).path("content").get(1).path("text").asText()).isEqualTo("weather?");
        JsonNode toolCall = sent.get(2).path("tool_calls").get(0);
        assertThat(toolCall.path("id").asText()).isEqualTo("call-1");
        assertThat(toolCall.path("type").asText()).isEqualTo("function");
        assertThat(toolCall.path("function").path("name").asText()).isEqualTo("get_weather");
        assertThat(toolCall.path("function").path("arguments").asText()).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(sent.get(2).has("content")).isFalse();
        assertThat(sent.get(3).path("tool_call_id").asText()).isEqualTo("call-1");
    }

    private static CompletionRequest.Builder weatherRequest(String id) {
        return request(id, "weather in Paris?")
                .setTools(List.of(new Tool("function", "get_weather", "Current weather",
                        "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}",
                        true)))
                .setToolChoice(new ToolChoice(ToolChoiceMode.FUNCTION, "get_weather"));
    }

    @Test
    void toolCallIsAssembledFromItsFragments() {
        String id = inferenceId("tool", Behaviour.toolCall("get_weather", "{\"city\": \"Paris\", \"unit\": \"C\"}"));
        ChatReply reply = provider.complete(call(weatherRequest(id).build(), TIMEOUT));

        Choice choice = reply.choices().getFirst();
        assertThat(choice.getFinishReason()).isEqualTo("tool_calls");
        assertThat(choice.getContent()).isNull();
        assertThat(choice.getToolCalls()).hasSize(1);
        ToolCall call = choice.getToolCalls().getFirst();
        assertThat(call.getId()).isNotBlank();
        assertThat(call.getType()).isEqualTo("function");
        assertThat(call.getName()).isEqualTo("get_weather");
        assertThat(call.getArguments()).isEqualTo("{\"city\": \"Paris\", \"unit\": \"C\"}");

        JsonNode body = onlyRequest(id).body();
        JsonNode tool = body.path("tools").get(0);
        assertThat(tool.path("type").asText()).isEqualTo("function");
        assertThat(tool.path("function").path("name").asText()).isEqualTo("get_weather");
        assertThat(tool.path("function").path("strict").asBoolean()).isTrue();
        assertThat(tool.path("function").path("parameters").path("required").get(0).asText()).isEqualTo("city");
        assertThat(body.path("tool_choice").path("type").asText()).isEqualTo("function");
        assertThat(body.path("tool_choice").path("function").path("name").asText()).isEqualTo("get_weather");
    }

    @Test
    void streamedToolCallForwardsFragmentsByIndex() {
        String id = inferenceId("stool", Behaviour.toolCall("get_weather", "{\"city\": \"Paris\"}"));
        RecordingSink sink = new RecordingSink();
        ChatReply reply = provider.complete(streamingCall(weatherRequest(id).setStream(true)
                .setToolChoice(new ToolChoice(ToolChoiceMode.REQUIRED, null)).build(), TIMEOUT, sink));

        List<ToolCallDelta> fragments = sink.deltas().stream().flatMap(d -> d.toolCalls().stream()).toList();
        assertThat(fragments.size()).isGreaterThan(1);
        assertThat(fragments).allSatisfy(f -> assertThat(f.getIndex()).isZero());
        assertThat(fragments.getFirst().getName()).isEqualTo("get_weather");
        StringBuilder arguments = new StringBuilder();
        fragments.forEach(f -> arguments.append(f.getArgumentsDelta() == null ? "" : f.getArgumentsDelta()));
        assertThat(arguments.toString()).isEqualTo("{\"city\": \"Paris\"}");
        assertThat(reply.choices().getFirst().getToolCalls().getFirst().getArguments())
                .isEqualTo("{\"city\": \"Paris\"}");
        assertThat(onlyRequest(id).body().path("tool_choice").asText()).isEqualTo("required");
    }

    @Test
    void reasoningShowsInTheUsage() {
        String id = inferenceId("reason", Behaviour.okWithReasoning("42", "think about it carefully"));
        ChatReply reply = provider.complete(call(request(id, "q").build(), TIMEOUT));
        assertThat(reply.choices().getFirst().getContent()).isEqualTo("42");
        // Elasticsearch's chunks carry no reasoning text; only the usage counts it.
        assertThat(reply.choices().getFirst().getReasoningContent()).isNull();
        assertThat(reply.usage().getReasoningTokens()).isEqualTo(4);
        assertThat(reply.usage().getCompletionTokens()).isEqualTo(5);
    }

    @Test
    void defaultModelIsTheInferenceIdOfRequestsWithoutModel() {
        String id = inferenceId("default", Behaviour.ok("from default"));
        ChatReply reply = elastic(Map.of(), id).complete(call(request(null, "hi").build(), TIMEOUT));
        assertThat(reply.choices().getFirst().getContent()).isEqualTo("from default");
        assertThat(onlyRequest(id).path()).endsWith("/_inference/chat_completion/" + id + "/_stream");
    }

    @Test
    void requestModelOverridesTheDefaultInferenceId() {
        String id = inferenceId("override", Behaviour.ok("from override"));
        ChatReply reply = elastic(Map.of(), "unused-default").complete(call(request(id, "hi").build(), TIMEOUT));
        assertThat(reply.choices().getFirst().getContent()).isEqualTo("from override");
        assertThat(WORLD.simulator().requestsForModel("unused-default")).isEmpty();
    }

    @Test
    void serviceModelIsSentAsTheBodysModel() {
        String serviceModel = inferenceId("gpt-4o-mini", Behaviour.ok("service answer"));
        String id = inferenceId("svc");
        ChatReply reply = elastic(Map.of("service-model", serviceModel), null)
                .complete(call(request(id, "hi").build(), TIMEOUT));
        assertThat(reply.choices().getFirst().getContent()).isEqualTo("service answer");
        RecordedRequest sent = onlyRequest(serviceModel);
        assertThat(sent.body().path("model").asText()).isEqualTo(serviceModel);
        assertThat(sent.path()).endsWith("/_inference/chat_completion/" + id + "/_stream");
    }
}
