package io.inferenceworker.provider.elastic;

import static io.inferenceworker.provider.ChatFixtures.request;
import static io.inferenceworker.provider.ChatFixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inferenceworker.provider.ChatProvider;
import io.inferenceworker.provider.InvalidRequestException;
import io.inferenceworker.provider.compat.OpenAiJson.ChatRequest;
import io.inferenceworker.provider.ProviderSettings;
import io.inferenceworker.provider.SimulatorWorld;
import io.inferenceworker.schemas.CompletionRequest;
import io.inferenceworker.schemas.ContentPart;
import io.inferenceworker.schemas.ContentPartType;
import io.inferenceworker.schemas.Message;
import io.inferenceworker.schemas.ResponseFormat;
import io.inferenceworker.schemas.ResponseFormatType;
import io.inferenceworker.schemas.Role;
import io.inferenceworker.schemas.Tool;
import io.inferenceworker.schemas.ToolChoice;
import io.inferenceworker.schemas.ToolChoiceMode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What the Elasticsearch adapter accepts and rejects before any call, its options, and its wire details. */
class ElasticValidationTest {
    @RegisterExtension
    static final SimulatorWorld WORLD = SimulatorWorld.offline();

    private static ChatProvider provider;

    @BeforeAll
    static void start() {
        provider = elastic(Map.of(), null);
    }

    private static ChatProvider elastic(Map<String, String> options, String defaultModel) {
        ProviderSettings settings = settings("es", "elastic", "https://es.example.com:9243");
        settings.setOptions(options);
        settings.setDefaultModel(defaultModel);
        return WORLD.create(ElasticProviderFactory::new, settings);
    }

    static Stream<Arguments> unsupportedParameters() {
        return Stream.of(
                Arguments.of("n", (UnaryOperator<CompletionRequest.Builder>) b -> b.setN(2)),
                Arguments.of("seed", (UnaryOperator<CompletionRequest.Builder>) b -> b.setSeed(7L)),
                Arguments.of("top_k", (UnaryOperator<CompletionRequest.Builder>) b -> b.setTopK(40)),
                Arguments.of("logprobs", (UnaryOperator<CompletionRequest.Builder>) b -> b.setLogprobs(true)),
                Arguments.of("top_logprobs", (UnaryOperator<CompletionRequest.Builder>) b -> b.setTopLogprobs(2)),
                Arguments.of("frequency_penalty",
                        (UnaryOperator<CompletionRequest.Builder>) b -> b.setFrequencyPenalty(0.5)),
                Arguments.of("presence_penalty",
                        (UnaryOperator<CompletionRequest.Builder>) b -> b.setPresencePenalty(0.5)),
                Arguments.of("logit_bias",
                        (UnaryOperator<CompletionRequest.Builder>) b -> b.setLogitBias(Map.of("50256", -100))),
                Arguments.of("response_format", (UnaryOperator<CompletionRequest.Builder>) b -> b.setResponseFormat(
                        new ResponseFormat(ResponseFormatType.JSON_OBJECT, null))),
                Arguments.of("chat_template_kwargs",
                        (UnaryOperator<CompletionRequest.Builder>) b -> b.setChatTemplateKwargs("{\"thinking\":true}")),
                Arguments.of("rag_collection",
                        (UnaryOperator<CompletionRequest.Builder>) b -> b.setRagCollection("docs")));
    }

    @ParameterizedTest
    @MethodSource("unsupportedParameters")
    void unsupportedParameterIsRejectedByName(String parameter, UnaryOperator<CompletionRequest.Builder> set) {
        CompletionRequest request = set.apply(request("chat-endpoint", "hi")).build();
        assertThatThrownBy(() -> provider.validate(request))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.parameter()).isEqualTo(parameter);
                    assertThat(e.getMessage()).startsWith(parameter + " is not supported by provider es (elastic)");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"IMAGE_URL", "VIDEO_URL"})
    void mediaContentIsRejected(String type) {
        ContentPartType partType = ContentPartType.valueOf(type);
        CompletionRequest request = request("chat-endpoint", "x").setMessages(List.of(Message.newBuilder()
                .setRole(Role.USER).setContent(List.of(new ContentPart(ContentPartType.TEXT, "look", null, null),
                        new ContentPart(partType, null, "https://example.com/a", null))).build())).build();
        assertThatThrownBy(() -> provider.validate(request))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.parameter()).isEqualTo("messages");
                    assertThat(e.getMessage()).contains(type.toLowerCase())
                            .contains("not supported by provider es (elastic): only text parts");
                });
    }

    @Test
    void messageNameAndReasoningContentAreRejected() {
        CompletionRequest named = request("chat-endpoint", "x").setMessages(List.of(Message.newBuilder()
                .setRole(Role.USER).setContent("hi").setName("alice").build())).build();
        assertThatThrownBy(() -> provider.validate(named)).isInstanceOfSatisfying(InvalidRequestException.class,
                e -> assertThat(e.getMessage()).startsWith("messages[0].name is not supported by provider es"));

        CompletionRequest reasoning = request("chat-endpoint", "x").setMessages(List.of(
                Message.newBuilder().setRole(Role.USER).setContent("hi").build(),
                Message.newBuilder().setRole(Role.ASSISTANT).setContent("yo").setReasoningContent("hmm").build()))
                .build();
        assertThatThrownBy(() -> provider.validate(reasoning)).isInstanceOfSatisfying(InvalidRequestException.class,
                e -> {
                    assertThat(e.parameter()).isEqualTo("messages");
                    assertThat(e.getMessage()).startsWith("messages[1].reasoning_content is not supported");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"../_security/user", "a/b", "x?timeout=1s", "..", "with space", "a%2Fb", "é"})
    void modelThatIsNotAPlainInferenceIdIsRejected(String model) {
        assertThatThrownBy(() -> provider.validate(request(model, "hi").build()))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.parameter()).isEqualTo("model");
                    assertThat(e.getMessage()).contains("not a valid inference ID for provider es (elastic)");
                });
    }

    @Test
    void requestWithoutModelNeedsADefault() {
        assertThatThrownBy(() -> provider.validate(request(null, "hi").build()))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.parameter()).isEqualTo("model"));
        elastic(Map.of(), "my-chat").validate(request(null, "hi").build());
    }

    @Test
    void everySupportedParameterIsAccepted() {
        provider.validate(request("openai-chat_v2.1", "hi").setMaxTokens(100).setTemperature(0.2).setTopP(0.5)
                .setStop(List.of("\n\n")).setStream(true)
                .setTools(List.of(new Tool("function", "f", "does f", "{\"type\":\"object\"}", true)))
                .setToolChoice(new ToolChoice(ToolChoiceMode.FUNCTION, "f")).build());
        for (ToolChoiceMode mode : List.of(ToolChoiceMode.AUTO, ToolChoiceMode.NONE, ToolChoiceMode.REQUIRED)) {
            provider.validate(request("e", "hi").setToolChoice(new ToolChoice(mode, null)).build());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"30 seconds", "10", "1.5s", "forever"})
    void invalidTimeoutOptionFailsAtStartUp(String timeout) {
        assertThatThrownBy(() -> elastic(Map.of("timeout", timeout), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("options.timeout");
    }

    @ParameterizedTest
    @ValueSource(strings = {"30s", "500ms", "2m", "1h", "-1", "0", "AUTO", "none"})
    void validTimeoutOptionsAreAccepted(String timeout) {
        assertThat(elastic(Map.of("timeout", timeout), null)).isNotNull();
    }

    @Test
    void invalidDefaultInferenceIdOrBlankServiceModelFailAtStartUp() {
        assertThatThrownBy(() -> elastic(Map.of(), "a/b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("default-model");
        assertThatThrownBy(() -> elastic(Map.of("service-model", " "), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("options.service-model");
    }

    @Test
    void targetCarriesTheInferenceIdAndTheTimeout() {
        ElasticProvider elastic = (ElasticProvider) provider;
        assertThat(elastic.target("my-chat", Duration.ofMillis(12_345)).toString())
                .isEqualTo("https://es.example.com:9243/_inference/chat_completion/my-chat/_stream?timeout=12345ms");
        assertThat(elastic.target("my-chat", Duration.ofMillis(-5)).getQuery()).isEqualTo("timeout=1ms");
        ElasticProvider none = (ElasticProvider) elastic(Map.of("timeout", "none"), null);
        assertThat(none.target("c", Duration.ofSeconds(1)).getQuery()).isNull();
    }

    @Test
    void opaqueIdIsASafeHeaderValue() {
        assertThat(ElasticChatWire.opaqueId("job-42")).isEqualTo("job-42");
        assertThat(ElasticChatWire.opaqueId("a\r\nb\u00e9c")).isEqualTo("a__b_c");
        assertThat(ElasticChatWire.opaqueId("\n")).isEqualTo("_");
        assertThat(ElasticChatWire.opaqueId("x".repeat(1000))).hasSize(256);
    }

    @Test
    void bodyRenamesMaxTokensAndCarriesTheServiceModelOnly() {
        ChatRequest mapped = new ChatRequest("inference-id", List.of(), 5, null, 0.1, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null);
        ChatRequest sent = new ElasticChatWire("gpt-4o").body(mapped);
        assertThat(sent.model()).isEqualTo("gpt-4o");
        assertThat(sent.maxTokens()).isNull();
        assertThat(sent.maxCompletionTokens()).isEqualTo(5);
        assertThat(sent.temperature()).isEqualTo(0.1);
        assertThat(new ElasticChatWire(null).body(mapped).model()).isNull();
    }
}
