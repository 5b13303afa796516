package io.inferenceworker.provider.vultr;

import static io.inferenceworker.provider.ChatFixtures.request;
import static io.inferenceworker.provider.ChatFixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inferenceworker.provider.ChatProvider;
import io.inferenceworker.provider.InvalidRequestException;
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

/** What the Vultr adapter rejects before any call, and its configuration checks. No server is needed. */
class VultrValidationTest {
    private static final String TOOL_SCHEMA = "{\"type\":\"object\",\"properties\":{}}";

    @RegisterExtension
    static final SimulatorWorld WORLD = SimulatorWorld.offline();

    private static ChatProvider provider;

    @BeforeAll
    static void start() {
        provider = create(Map.of());
    }

    private static ChatProvider create(Map<String, String> options) {
        ProviderSettings settings = settings("vu", "vultr", "https://api.vultrinference.com");
        settings.setApiKey("k");
        settings.setOptions(options);
        return WORLD.create(VultrProviderFactory::new, settings);
    }

    private static Message part(ContentPartType type) {
        return Message.newBuilder().setRole(Role.USER).setContent(List.of(
                new ContentPart(type, null, "https://example.com/asset", null))).build();
    }

    private static Tool tool(Boolean strict) {
        return new Tool("function", "f", null, TOOL_SCHEMA, strict);
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
                rejects("n", b -> b.setN(1)),
                rejects("logprobs", b -> b.setLogprobs(true)),
                rejects("top_logprobs", b -> b.setTopLogprobs(2)),
                rejects("frequency_penalty", b -> b.setFrequencyPenalty(0.1)),
                rejects("presence_penalty", b -> b.setPresencePenalty(0.1)),
                rejects("logit_bias", b -> b.setLogitBias(Map.of("42", 5))),
                rejects("response_format", b -> b.setResponseFormat(
                        new ResponseFormat(ResponseFormatType.JSON_OBJECT, null))),
                rejects("chat_template_kwargs", b -> b.setChatTemplateKwargs("{\"thinking\":true}")),
                rejects("messages", b -> b.setMessages(List.of(part(ContentPartType.IMAGE_URL)))),
                rejects("messages", b -> b.setMessages(List.of(part(ContentPartType.VIDEO_URL)))),
                rejects("messages", b -> b.setMessages(List.of(Message.newBuilder().setRole(Role.DEVELOPER)
                        .setContent("be brief").build()))),
                rejects("tool_choice", b -> b.setTools(List.of(tool(null)))
                        .setToolChoice(new ToolChoice(ToolChoiceMode.FUNCTION, "f"))),
                rejects("tools", b -> b.setTools(List.of(tool(true)))),
                // Not in the 1.2.0 reference: rejected unless allow-extended-parameters.
                rejects("stop", b -> b.setStop(List.of("\n\n"))),
                rejects("asset_ids", b -> b.setAssetIds(List.of("0b4f2e6a-3c1d-4e5f-8a9b-0c1d2e3f4a5b"))),
                rejects("temperature", b -> b.setTemperature(2.1)),
                rejects("temperature", b -> b.setTemperature(-0.1)),
                rejects("temperature", b -> b.setTemperature(Double.NaN)),
                rejects("top_p", b -> b.setTopP(1.5)),
                rejects("top_k", b -> b.setTopK(101)),
                rejects("top_k", b -> b.setTopK(-1)),
                rejects("max_tokens", b -> b.setMaxTokens(0)),
                rejects("seed", b -> b.setSeed(-2L)),
                rejects("rag_collection", b -> b.setRagCollection(" ")),
                rejects("model", b -> b.setModel(null)),
                rejects("tools", b -> b.setTools(List.of(new Tool("function", "f", null, "not json", null)))));
    }

    private static Arguments rejects(String parameter, UnaryOperator<CompletionRequest.Builder> change) {
        return Arguments.of(parameter, change);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void rejectsWhatVultrDoesNotSupport(String parameter, UnaryOperator<CompletionRequest.Builder> change) {
        CompletionRequest request = change.apply(request("llama-3.3-70b-instruct-fp8", "hi")).build();
        assertThatThrownBy(() -> provider.validate(request))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.parameter()).isEqualTo(parameter);
                    if (!parameter.equals("model") && !parameter.equals("rag_collection")
                            && !e.getMessage().contains("not valid JSON")) {
                        assertThat(e.getMessage()).contains("not supported by provider vu (vultr)");
                    }
                });
    }

    @Test
    void rejectionNamesTheParameterAndTheWayOut() {
        assertThatThrownBy(() -> provider.validate(request("m", "hi").setN(2).build()))
                .hasMessage("n is not supported by provider vu (vultr): not in Vultr's 1.2.0 API; set "
                        + "options.allow-extended-parameters: true if your Vultr API revision has it");
        assertThatThrownBy(() -> provider.validate(request("m", "hi").setTemperature(3.0).build()))
                .hasMessage("temperature 3.0 is not supported by provider vu (vultr): must be between 0 and 2");
    }

    @Test
    void acceptsEverythingVultrDocuments() {
        provider.validate(request("kimi-k2-instruct", "hi").setMaxTokens(512).setTemperature(2.0).setTopP(0.0)
                .setTopK(100).setSeed(-1L).setStream(true)
                .setTools(List.of(tool(null))).setToolChoice(new ToolChoice(ToolChoiceMode.REQUIRED, null))
                .build());
        provider.validate(request("m", "hi").setToolChoice(new ToolChoice(ToolChoiceMode.AUTO, null)).build());
        provider.validate(request("m", "hi").setToolChoice(new ToolChoice(ToolChoiceMode.NONE, null)).build());
        provider.validate(request("m", "hi").setRagCollection("collection-1").setTopK(0).build());
        // Vultr's current RAG guide documents tool calling with a collection.
        provider.validate(request("kimi-k2-instruct", "hi").setRagCollection("c").setTools(List.of(tool(null)))
                .setToolChoice(new ToolChoice(ToolChoiceMode.AUTO, null)).build());
        provider.validate(request("m", "x").setMessages(List.of(
                Message.newBuilder().setRole(Role.SYSTEM).setContent("sys").build(),
                Message.newBuilder().setRole(Role.USER).setContent(List.of(
                        new ContentPart(ContentPartType.TEXT, "text part", null, null))).build())).build());
    }

    @Test
    void toolsAreNotRestrictedByModel() {
        // Vultr documents tool calling for kimi-k2-instruct only, but may add models without notice.
        provider.validate(request("llama-3.3-70b-instruct-fp8", "hi").setTools(List.of(tool(null))).build());
    }

    @Test
    void extendedParametersCanBeAllowed() {
        ChatProvider extended = create(Map.of("allow-extended-parameters", "true"));
        extended.validate(request("m", "hi").setN(2).setLogprobs(true).setTopLogprobs(3)
                .setFrequencyPenalty(1.0).setPresencePenalty(1.0).setStop(List.of("END")).build());
        assertThatThrownBy(() -> extended.validate(request("m", "hi").setLogitBias(Map.of("1", 1)).build()))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void endpointsFollowTheOptions() {
        VultrProvider defaults = (VultrProvider) provider;
        assertThat(defaults.chatEndpoint()).hasToString("https://api.vultrinference.com/v1/chat/completions");
        assertThat(defaults.ragEndpoint()).hasToString("https://api.vultrinference.com/v1/chat/completions/RAG");
        VultrProvider custom = (VultrProvider) create(Map.of("chat-path", "/v2/chat", "rag-path", "v2/chat/rag"));
        assertThat(custom.chatEndpoint()).hasToString("https://api.vultrinference.com/v2/chat");
        assertThat(custom.ragEndpoint()).hasToString("https://api.vultrinference.com/v2/chat/rag");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "rating-path=/v1/chat/completions/rate", "rating-path=/v1/{id}/x/{id}", "rating-timeout=soon",
        "rating-timeout=0s", "allow-extended-parameters=yes", "rag-path= ", "rating-path=/v1/ bad/{id}"})
    void invalidOptionsFailAtCreation(String option) {
        String[] kv = option.split("=", 2);
        assertThatThrownBy(() -> create(Map.of(kv[0], kv[1])))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void factoryTypeIsVultr() {
        assertThat(new VultrProviderFactory(WORLD.transport()).type()).isEqualTo("vultr");
        assertThat(provider.name()).isEqualTo("vu");
        assertThat(provider).isInstanceOf(io.inferenceworker.provider.CompletionRater.class);
    }
}
