package io.inferenceworker.provider.nscale;

import static io.inferenceworker.provider.ChatFixtures.call;
import static io.inferenceworker.provider.ChatFixtures.request;
import static io.inferenceworker.provider.ChatFixtures.streamingCall;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inferenceworker.provider.ChatFixtures.RecordingSink;
import io.inferenceworker.provider.ChatFixtures;
import io.inferenceworker.provider.ChatProvider;
import io.inferenceworker.provider.ChatReply;
import io.inferenceworker.provider.InvalidRequestException;
import io.inferenceworker.provider.ProviderException;
import io.inferenceworker.provider.SimulatorWorld;
import io.inferenceworker.schemas.Choice;
import io.inferenceworker.schemas.ContentPart;
import io.inferenceworker.schemas.ContentPartType;
import io.inferenceworker.schemas.Message;
import io.inferenceworker.schemas.Role;
import io.inferenceworker.schemas.ToolChoice;
import io.inferenceworker.schemas.ToolChoiceMode;
import io.inferenceworker.testkit.sim.Behaviour;
import io.inferenceworker.testkit.sim.Dialect;
import io.inferenceworker.testkit.sim.VllmErrorShape;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The nscale adapter against the real simulator's NSCALE dialect. */
class NscaleProviderTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final SimulatorWorld WORLD = SimulatorWorld.start();

    private static ChatProvider provider;

    @BeforeAll
    static void start() {
        provider = WORLD.create(NscaleProviderFactory::new, WORLD.settings("ns", "nscale", Dialect.NSCALE));
    }

    private static String model(String scenario, Behaviour... behaviours) {
        return WORLD.model(scenario, behaviours);
    }

    private static ProviderException failure(io.inferenceworker.provider.ChatCall call) {
        return ChatFixtures.failure(provider, call);
    }

    @Test
    void severalChoicesWithLogprobs() throws Exception {
        String model = model("n2");
        ChatReply reply = provider.complete(call(request(model, "tell me a story")
                .setN(2).setLogprobs(true).setTopLogprobs(2).build(), TIMEOUT));
        assertThat(reply.choices()).extracting(Choice::getIndex).containsExactly(0, 1);
        for (Choice choice : reply.choices()) {
            assertThat(choice.getContent()).isEqualTo("Echo: tell me a story");
            JsonNode logprobs = JSON.readTree(choice.getLogprobs());
            assertThat(logprobs.path("content")).isNotEmpty();
            assertThat(logprobs.path("content").get(0).path("top_logprobs")).hasSize(2);
        }
        JsonNode sent = WORLD.simulator().requestsForModel(model).get(0).body();
        assertThat(sent.path("n").asInt()).isEqualTo(2);
        assertThat(sent.path("logprobs").asBoolean()).isTrue();
        assertThat(sent.path("top_logprobs").asInt()).isEqualTo(2);
    }

    /** nscale's reference lists {@code choices[].stop_reason} and {@code system_fingerprint}: both are kept. */
    @Test
    void stopReasonAndSystemFingerprintAreKept() {
        ChatReply reply = provider.complete(call(request(model("stop-reason"), "alpha beta gamma")
                .setStop(List.of("beta")).build(), TIMEOUT));
        assertThat(reply.choices().getFirst().getStopReason()).isEqualTo("beta");
        assertThat(reply.choices().getFirst().getContent()).isEqualTo("Echo: alpha ");
        assertThat(reply.systemFingerprint()).isNotBlank();

        ChatReply streamed = provider.complete(streamingCall(request(model("stop-reason-stream"), "alpha beta gamma")
                .setStop(List.of("beta")).setStream(true).build(), TIMEOUT, new ChatFixtures.RecordingSink()));
        assertThat(streamed.choices().getFirst().getStopReason()).isEqualTo("beta");
        assertThat(streamed.systemFingerprint()).isEqualTo(reply.systemFingerprint());

        ChatReply natural = provider.complete(call(request(model("no-stop-reason"), "alpha").build(), TIMEOUT));
        assertThat(natural.choices().getFirst().getStopReason()).isNull();
    }

    @Test
    void reasoningContentIsKept() {
        ChatReply reply = provider.complete(call(request(model("reason",
                Behaviour.okWithReasoning("42", "think hard")), "q").build(), TIMEOUT));
        assertThat(reply.choices().get(0).getReasoningContent()).isEqualTo("think hard");
        assertThat(reply.choices().get(0).getContent()).isEqualTo("42");
    }

    @Test
    void streamsWithStatus201() {
        String model = model("stream201", Behaviour.ok("alpha beta gamma"));
        RecordingSink sink = new RecordingSink();
        ChatReply reply = provider.complete(streamingCall(request(model, "hi").setStream(true).build(), TIMEOUT,
                sink));
        assertThat(reply.choices().get(0).getContent()).isEqualTo("alpha beta gamma");
        assertThat(sink.content(0)).isEqualTo("alpha beta gamma");
        assertThat(reply.usage()).isNotNull();
        assertThat(reply.usage().getCompletionTokens()).isEqualTo(3);
    }

    @Test
    void streamsSeveralChoices() {
        RecordingSink sink = new RecordingSink();
        ChatReply reply = provider.complete(streamingCall(request(model("sn2", Behaviour.ok("x y")), "hi")
                .setStream(true).setN(2).build(), TIMEOUT, sink));
        assertThat(reply.choices()).extracting(Choice::getContent).containsExactly("x y", "x y");
        assertThat(sink.content(1)).isEqualTo("x y");
    }

    @Test
    void assetIdsAreRejectedNotDropped() {
        assertThatThrownBy(() -> provider.validate(request("m", "hi")
                .setAssetIds(List.of("8c4d3a1e-0a3b-4b8e-9f1a-2d6c5e7f8a9b")).build()))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.parameter()).isEqualTo("asset_ids"));
    }

    @ParameterizedTest
    @EnumSource(value = ToolChoiceMode.class, names = {"REQUIRED", "FUNCTION"})
    void toolChoiceOtherThanAutoOrNoneIsRejected(ToolChoiceMode mode) {
        assertThatThrownBy(() -> provider.validate(request("m", "hi")
                .setToolChoice(new ToolChoice(mode, mode == ToolChoiceMode.FUNCTION ? "f" : null)).build()))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.parameter()).isEqualTo("tool_choice");
                    assertThat(e.getMessage()).contains("not supported by provider ns (nscale): only auto and none");
                });
    }

    @Test
    void autoAndNoneToolChoiceAreAccepted() {
        provider.validate(request("m", "hi").setToolChoice(new ToolChoice(ToolChoiceMode.AUTO, null)).build());
        provider.validate(request("m", "hi").setToolChoice(new ToolChoice(ToolChoiceMode.NONE, null)).build());
    }

    @Test
    void undocumentedParametersAreRejected() {
        assertThatThrownBy(() -> provider.validate(request("m", "hi").setTopK(3).build()))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.parameter()).isEqualTo("top_k"));
        assertThatThrownBy(() -> provider.validate(request("m", "hi").setChatTemplateKwargs("{}").build()))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.parameter()).isEqualTo("chat_template_kwargs"));
        Message video = Message.newBuilder().setRole(Role.USER).setContent(List.of(
                new ContentPart(ContentPartType.VIDEO_URL, null, "https://x/v.mp4", null))).build();
        assertThatThrownBy(() -> provider.validate(request("m", "hi").setMessages(List.of(video)).build()))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.parameter()).isEqualTo("messages"));
    }

    @Test
    void status429IsTerminalInsufficientCredit() {
        for (Behaviour behaviour : List.of(Behaviour.insufficientCredit(), Behaviour.status(429))) {
            ProviderException e = failure(call(request(model("credit", behaviour), "hi").build(), TIMEOUT));
            assertThat(e).isInstanceOf(ProviderException.Terminal.class);
            assertThat(e.code()).isEqualTo("insufficient_credit");
            assertThat(e.httpStatus()).contains(429);
        }
    }

    @ParameterizedTest
    @EnumSource(VllmErrorShape.class)
    void bothVllmErrorShapesGiveTheMessage(VllmErrorShape shape) {
        ProviderException notFound = failure(call(request(model("nf", Behaviour.status(404).withVllmErrorShape(
                shape)), "hi").build(), TIMEOUT));
        assertThat(notFound).isInstanceOf(ProviderException.Terminal.class);
        assertThat(notFound.code()).isEqualTo("not_found");
        assertThat(notFound.getMessage()).contains("Simulated error: HTTP 404").contains("NotFoundError");

        ProviderException credit = failure(call(request(model("ic", Behaviour.insufficientCredit()
                .withVllmErrorShape(shape)), "hi").build(), TIMEOUT));
        assertThat(credit.getMessage()).contains("Insufficient credit");

        ProviderException unavailable = failure(call(request(model("un", Behaviour.status(503)
                .withVllmErrorShape(shape)), "hi").build(), TIMEOUT));
        assertThat(unavailable).isInstanceOf(ProviderException.Retryable.class);
        assertThat(unavailable.code()).isEqualTo("server_error");
        assertThat(unavailable.getMessage()).contains("Simulated error: HTTP 503");
    }

    @Test
    void midStreamVllmErrorIsClassifiedByItsCode() {
        RecordingSink sink = new RecordingSink();
        ProviderException e = failure(streamingCall(request(model("mid", Behaviour.midStreamError()),
                "one two three four").setStream(true).build(), TIMEOUT, sink));
        assertThat(e).isInstanceOf(ProviderException.Retryable.class);
        assertThat(e.code()).isEqualTo("server_error");
        assertThat(e.httpStatus()).contains(201);
        assertThat(e.getMessage()).contains("Simulated failure");
    }

    @Test
    void requiredToolChoiceSentAnywayIsABadRequest() {
        // validate() rejects it first; this is what nscale itself would answer if it got through
        ProviderException e = failure(call(request(model("req"), "hi")
                .setToolChoice(new ToolChoice(ToolChoiceMode.REQUIRED, null)).build(), TIMEOUT));
        assertThat(e.code()).isEqualTo("bad_request");
        assertThat(e.getMessage()).contains("only \"auto\" and \"none\"");
    }
}
