package io.inferenceworker.provider.nvidia;

import static io.inferenceworker.provider.ChatFixtures.request;
import static io.inferenceworker.provider.ChatFixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inferenceworker.provider.ChatProvider;
import io.inferenceworker.provider.InvalidRequestException;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** What the NVIDIA adapter rejects before any call (no simulator needed: nothing is sent). */
class NvidiaValidationTest {
    @RegisterExtension
    static final SimulatorWorld WORLD = SimulatorWorld.offline();

    private static ChatProvider provider;

    @BeforeAll
    static void start() {
        // Never called: validation happens before any request.
        provider = WORLD.create(NvidiaProviderFactory::new,
                settings("nv", "nvidia", "https://integrate.api.nvidia.com"));
    }

    private static CompletionRequest.Builder valid() {
        return request("moonshotai/kimi-k2.6", "hi");
    }

    private static Message user(ContentPart... parts) {
        return Message.newBuilder().setRole(Role.USER).setContent(List.of(parts)).build();
    }

    private static ContentPart text(String text) {
        return new ContentPart(ContentPartType.TEXT, text, null, null);
    }

    private static ContentPart image() {
        return new ContentPart(ContentPartType.IMAGE_URL, null, "https://example.com/cat.png", null);
    }

    private static ContentPart video() {
        return new ContentPart(ContentPartType.VIDEO_URL, null, "https://example.com/clip.mp4", null);
    }

    static Stream<Arguments> undocumentedParameters() {
        return Stream.<Arguments>of(
                Arguments.of("n", (UnaryOperator<CompletionRequest.Builder>) b -> b.setN(2)),
                Arguments.of("stop", (UnaryOperator<CompletionRequest.Builder>) b -> b.setStop(List.of("END"))),
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
                Arguments.of("rag_collection",
                        (UnaryOperator<CompletionRequest.Builder>) b -> b.setRagCollection("docs")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("undocumentedParameters")
    void undocumentedParametersAreRejected(String parameter, UnaryOperator<CompletionRequest.Builder> set) {
        assertThatThrownBy(() -> provider.validate(set.apply(valid()).build()))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.parameter()).isEqualTo(parameter);
                    assertThat(e.getMessage()).startsWith(parameter + " is not supported by provider nv (nvidia)");
                });
    }

    static Stream<Arguments> outOfRange() {
        return Stream.<Arguments>of(
                Arguments.of("temperature", "temperature 1.5", (UnaryOperator<CompletionRequest.Builder>)
                        b -> b.setTemperature(1.5)),
                Arguments.of("temperature", "temperature -0.1", (UnaryOperator<CompletionRequest.Builder>)
                        b -> b.setTemperature(-0.1)),
                Arguments.of("temperature", "temperature NaN", (UnaryOperator<CompletionRequest.Builder>)
                        b -> b.setTemperature(Double.NaN)),
                Arguments.of("top_p", "top_p 1.01", (UnaryOperator<CompletionRequest.Builder>) b -> b.setTopP(1.01)),
                Arguments.of("top_p", "top_p -1.0", (UnaryOperator<CompletionRequest.Builder>) b -> b.setTopP(-1.0)),
                Arguments.of("max_tokens", "max_tokens 0", (UnaryOperator<CompletionRequest.Builder>)
                        b -> b.setMaxTokens(0)),
                Arguments.of("max_tokens", "max_tokens 65537", (UnaryOperator<CompletionRequest.Builder>)
                        b -> b.setMaxTokens(65_537)),
                Arguments.of("seed", "seed 9007199254740992", (UnaryOperator<CompletionRequest.Builder>)
                        b -> b.setSeed(9_007_199_254_740_992L)),
                Arguments.of("seed", "seed -9007199254740992", (UnaryOperator<CompletionRequest.Builder>)
                        b -> b.setSeed(-9_007_199_254_740_992L)));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("outOfRange")
    void valuesOutOfTheDocumentedRangesAreRejected(String parameter, String what,
                                                   UnaryOperator<CompletionRequest.Builder> set) {
        assertThatThrownBy(() -> provider.validate(set.apply(valid()).build()))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.parameter()).isEqualTo(parameter);
                    assertThat(e.getMessage()).startsWith(what + " is not supported by provider nv (nvidia): must be");
                });
    }

    @Test
    void documentedBoundsAreAccepted() {
        assertThatCode(() -> {
            provider.validate(valid().setTemperature(0.0).setTopP(0.0).setMaxTokens(1).setSeed(-9_007_199_254_740_991L)
                    .build());
            provider.validate(valid().setTemperature(1.0).setTopP(1.0).setMaxTokens(65_536)
                    .setSeed(9_007_199_254_740_991L).build());
        }).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @EnumSource(ToolChoiceMode.class)
    void everyToolChoiceIsAccepted(ToolChoiceMode mode) {
        Tool tool = new Tool("function", "get_weather", null, "{\"type\":\"object\"}", true);
        assertThatCode(() -> provider.validate(valid().setTools(List.of(tool))
                .setToolChoice(new ToolChoice(mode, mode == ToolChoiceMode.FUNCTION ? "get_weather" : null)).build()))
                .doesNotThrowAnyException();
    }

    @Test
    void namedToolChoiceNeedsAName() {
        assertThatThrownBy(() -> provider.validate(valid().setToolChoice(new ToolChoice(ToolChoiceMode.FUNCTION, null))
                .build())).isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.parameter()).isEqualTo("tool_choice"));
    }

    @Test
    void chatTemplateKwargsMustBeAJsonObject() {
        assertThatCode(() -> provider.validate(valid().setChatTemplateKwargs("{\"enable_thinking\":false}").build()))
                .doesNotThrowAnyException();
        for (String bad : List.of("[true]", "{\"thinking\":", "\"thinking\"")) {
            assertThatThrownBy(() -> provider.validate(valid().setChatTemplateKwargs(bad).build()))
                    .isInstanceOfSatisfying(InvalidRequestException.class,
                            e -> assertThat(e.parameter()).isEqualTo("chat_template_kwargs"));
        }
    }

    @Test
    void imagesAndVideosAreAcceptedInUserMessages() {
        assertThatCode(() -> provider.validate(valid().setMessages(List.of(user(text("what is this?"), image(),
                video()))).build())).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @EnumSource(value = Role.class, names = {"SYSTEM", "ASSISTANT"})
    void partListsAreRejectedForSystemAndAssistantMessages(Role role) {
        Message message = Message.newBuilder().setRole(role).setContent(List.of(text("plain text"))).build();
        assertThatThrownBy(() -> provider.validate(valid().setMessages(List.of(message, user(text("hi")))).build()))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.parameter()).isEqualTo("messages");
                    assertThat(e.getMessage()).contains("content as a list of parts in a "
                            + role.name().toLowerCase(Locale.ROOT) + " message (messages[0])")
                            .contains("not supported by provider nv (nvidia)");
                });
    }

    @Test
    void mediaIsRejectedOutsideUserMessages() {
        Message toolResult = Message.newBuilder().setRole(Role.TOOL).setToolCallId("call_1")
                .setContent(List.of(text("result"), image())).build();
        assertThatThrownBy(() -> provider.validate(valid().setMessages(List.of(user(text("hi")), toolResult)).build()))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.parameter()).isEqualTo("messages");
                    assertThat(e.getMessage()).contains("image content (image_url) in a tool message (messages[1])")
                            .contains("images and videos only in user messages");
                });
        Message textTool = Message.newBuilder().setRole(Role.TOOL).setToolCallId("call_1")
                .setContent(List.of(text("result"))).build();
        assertThatCode(() -> provider.validate(valid().setMessages(List.of(user(text("hi")), textTool)).build()))
                .doesNotThrowAnyException();
    }

    @Test
    void developerRoleIsRejected() {
        Message developer = Message.newBuilder().setRole(Role.DEVELOPER).setContent("rules").build();
        assertThatThrownBy(() -> provider.validate(valid().setMessages(List.of(developer, user(text("hi")))).build()))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.parameter()).isEqualTo("messages");
                    assertThat(e.getMessage()).contains("role developer");
                });
    }

    @Test
    void inlineImagesOver180KbAreRejectedNamingTheLimit() {
        String big = "data:image/png;base64," + "A".repeat(NvidiaRequestRules.MAX_INLINE_IMAGE_BASE64_CHARS);
        ContentPart part = new ContentPart(ContentPartType.IMAGE_URL, null, big, null);
        assertThatThrownBy(() -> provider.validate(valid().setMessages(List.of(user(text("see"), part))).build()))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.parameter()).isEqualTo("messages");
                    assertThat(e.getMessage()).contains("180 KB").contains("180000").contains("NVCF Asset API");
                });
        assertThatThrownBy(() -> provider.validate(request("m", "<img src=\"" + big + "\" />").build()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("180 KB");
        String fits = "data:image/png;base64," + "A".repeat(NvidiaRequestRules.MAX_INLINE_IMAGE_BASE64_CHARS - 1);
        assertThatCode(() -> provider.validate(valid().setMessages(List.of(user(text("see"),
                new ContentPart(ContentPartType.IMAGE_URL, null, fits, null)))).build()))
                .doesNotThrowAnyException();
    }

    @Test
    void assetReferencesMustBeListedAndBeUuids() {
        String asset = "0b4f2e6a-3c1d-4e5f-8a9b-0c1d2e3f4a5b";
        String referring = "<img src=\"data:image/png;asset_id," + asset + "\" />";
        assertThatThrownBy(() -> provider.validate(request("m", referring).build()))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.parameter()).isEqualTo("asset_ids"));
        assertThatCode(() -> provider.validate(request("m", referring).setAssetIds(List.of(asset)).build()))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> provider.validate(request("m", "hi").setAssetIds(List.of("not-a-uuid")).build()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("UUID");
        List<String> many = java.util.Collections.nCopies(11, asset);
        assertThatThrownBy(() -> provider.validate(request("m", "hi").setAssetIds(many).build()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("370");
    }

    @Test
    void aRequestWithoutModelIsValid() {
        assertThatCode(() -> provider.validate(request(null, "hi").build())).doesNotThrowAnyException();
    }
}
