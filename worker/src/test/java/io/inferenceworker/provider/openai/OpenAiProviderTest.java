package io.inferenceworker.provider.openai;

import static io.inferenceworker.provider.ChatFixtures.call;
import static io.inferenceworker.provider.ChatFixtures.failure;
import static io.inferenceworker.provider.ChatFixtures.request;
import static io.inferenceworker.provider.ChatFixtures.settings;
import static io.inferenceworker.provider.ChatFixtures.streamingCall;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.inferenceworker.provider.ChatCall;
import io.inferenceworker.provider.ChatFixtures.RecordingSink;
import io.inferenceworker.provider.ChatProvider;
import io.inferenceworker.provider.ChatReply;
import io.inferenceworker.provider.Delta;
import io.inferenceworker.provider.InvalidRequestException;
import io.inferenceworker.provider.ProviderException;
import io.inferenceworker.provider.ProviderSettings;
import io.inferenceworker.provider.transport.ProviderTransport;
import io.inferenceworker.provider.SimulatorWorld;
import io.inferenceworker.schemas.Choice;
import io.inferenceworker.schemas.CompletionRequest;
import io.inferenceworker.schemas.Tool;
import io.inferenceworker.schemas.ToolCall;
import io.inferenceworker.testkit.sim.Behaviour;
import io.inferenceworker.testkit.sim.Dialect;
import io.inferenceworker.testkit.sim.RecordedRequest;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The generic OpenAI-compatible adapter against the real simulator's OPENAI dialect. */
class OpenAiProviderTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @RegisterExtension
    static final SimulatorWorld WORLD = SimulatorWorld.start();

    private static ChatProvider provider;

    @BeforeAll
    static void start() {
        provider = WORLD.create(OpenAiProviderFactory::new, WORLD.settings("oa", "openai", Dialect.OPENAI));
    }

    /** A model name no other test uses, so its scenario is its own. */
    private static String model(String scenario, Behaviour... behaviours) {
        return WORLD.model(scenario, behaviours);
    }

    @Test
    void completesAndReportsIdsUsageAndModel() {
        String model = model("ok", Behaviour.ok("Hello there, friend"));
        CompletionRequest request = request(model, "hi").setTemperature(0.2).build();
        ChatReply reply = provider.complete(ChatCall.of(request.getJobId(), request, 1, Instant.now().plus(TIMEOUT))
                .withTraceparent(Optional.of("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")));

        assertThat(reply.choices()).hasSize(1);
        Choice choice = reply.choices().get(0);
        assertThat(choice.getContent()).isEqualTo("Hello there, friend");
        assertThat(choice.getRole()).isEqualTo("assistant");
        assertThat(choice.getFinishReason()).isEqualTo("stop");
        assertThat(reply.responseId()).startsWith("chatcmpl-");
        assertThat(reply.providerRequestId()).isNotBlank();
        assertThat(reply.model()).isEqualTo(model);
        assertThat(reply.usage().getCompletionTokens()).isEqualTo(3);
        assertThat(reply.usage().getTotalTokens())
                .isEqualTo(reply.usage().getPromptTokens() + reply.usage().getCompletionTokens());

        RecordedRequest sent = WORLD.simulator().requestsForModel(model).get(0);
        assertThat(sent.path()).isEqualTo("/openai/v1/chat/completions");
        assertThat(sent.header("traceparent")).contains("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        assertThat(sent.header("authorization")).as("no key configured").isEmpty();
        assertThat(sent.body().properties()).extracting(e -> e.getKey())
                .containsExactlyInAnyOrder("model", "messages", "temperature");
    }

    @Test
    void sendsTheBearerKey() {
        ProviderSettings s = settings("keyed", "openai", WORLD.simulator().baseUrl(Dialect.OPENAI));
        s.setApiKey("sk-test-1");
        String model = model("key");
        WORLD.create(OpenAiProviderFactory::new, s).complete(call(request(model, "hi").build(), TIMEOUT));
        assertThat(WORLD.simulator().requestsForModel(model).get(0).header("authorization"))
                .contains("Bearer sk-test-1");
    }

    @Test
    void streamsDeltasInOrderAndAssemblesTheSameAnswer() {
        String text = "one two three four five six";
        String model = model("stream", Behaviour.ok(text));
        ChatReply plain = provider.complete(call(request(model, "hi").build(), TIMEOUT));

        RecordingSink sink = new RecordingSink();
        ChatReply streamed = provider.complete(streamingCall(request(model, "hi").setStream(true).build(), TIMEOUT,
                sink));

        assertThat(streamed.choices().get(0).getContent()).isEqualTo(plain.choices().get(0).getContent())
                .isEqualTo(text);
        assertThat(sink.content(0)).isEqualTo(text);
        List<Delta> deltas = sink.deltas();
        assertThat(deltas.get(0).role()).isEqualTo("assistant");
        assertThat(deltas.get(deltas.size() - 1).finishReason()).isEqualTo("stop");
        assertThat(deltas).allSatisfy(d -> assertThat(d.isEmpty()).isFalse());
        assertThat(streamed.usage()).as("usage chunk captured").isEqualTo(plain.usage());
        assertThat(streamed.responseId()).startsWith("chatcmpl-");
        assertThat(streamed.providerRequestId()).isNotBlank();

        JsonNode body = WORLD.simulator().requestsForModel(model).get(1).body();
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.path("stream_options").path("include_usage").asBoolean()).isTrue();
        assertThat(WORLD.simulator().requestsForModel(model).get(1).header("accept")).contains("text/event-stream");
    }

    @Test
    void streamWithoutSinkIsNotStreamed() {
        String model = model("nosink");
        ChatReply reply = provider.complete(call(request(model, "hi").setStream(true).build(), TIMEOUT));
        assertThat(reply.choices().get(0).getContent()).isEqualTo("Echo: hi");
        assertThat(WORLD.simulator().requestsForModel(model).get(0).body().has("stream")).isFalse();
    }

    @Test
    void mergesStreamedToolCallFragments() {
        String arguments = "{\"city\":\"Paris\",\"unit\":\"celsius\"}";
        String model = model("tools", Behaviour.toolCall("get_weather", arguments));
        CompletionRequest request = request(model, "weather?").setStream(true)
                .setTools(List.of(new Tool("function", "get_weather", null, "{\"type\":\"object\"}", null))).build();
        RecordingSink sink = new RecordingSink();
        ChatReply reply = provider.complete(streamingCall(request, TIMEOUT, sink));

        Choice choice = reply.choices().get(0);
        assertThat(choice.getFinishReason()).isEqualTo("tool_calls");
        assertThat(choice.getToolCalls()).hasSize(1);
        ToolCall call = choice.getToolCalls().get(0);
        assertThat(call.getName()).isEqualTo("get_weather");
        assertThat(call.getArguments()).isEqualTo(arguments);
        assertThat(call.getId()).isNotBlank();
        long fragments = sink.deltas().stream().filter(d -> !d.toolCalls().isEmpty()).count();
        assertThat(fragments).as("arguments arrived in pieces").isGreaterThan(1);

        ChatReply plain = provider.complete(call(request, TIMEOUT));
        assertThat(plain.choices().get(0).getToolCalls().get(0).getArguments()).isEqualTo(arguments);
    }

    @Test
    void retryAfterMsIsTheHint() {
        ProviderException e = failure(provider, call(request(model("rl", Behaviour.rateLimited(Duration.ofMillis(
                1500))), "hi").build(), TIMEOUT));
        assertThat(e).isInstanceOf(ProviderException.Retryable.class);
        assertThat(e.code()).isEqualTo("rate_limited");
        assertThat(e.httpStatus()).contains(429);
        assertThat(((ProviderException.Retryable) e).retryAfter()).contains(Duration.ofMillis(1500));
        assertThat(e.providerRequestId()).isPresent();
    }

    @Test
    void retryAfterSecondsIsTheHint() {
        ProviderException.Retryable e = (ProviderException.Retryable) failure(provider, call(request(model("ras",
                Behaviour.status(429).withHeader("retry-after", "3")), "hi").build(), TIMEOUT));
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(3));
    }

    @Test
    void retryAfterHttpDateIsMeasuredAgainstTheClock() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (ProviderTransport fixed = new ProviderTransport(Clock.fixed(now, ZoneOffset.UTC))) {
            ChatProvider p = new OpenAiProviderFactory(fixed).create(
                    settings("dated", "openai", WORLD.simulator().baseUrl(Dialect.OPENAI)));
            String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(now.plusSeconds(42),
                    ZoneOffset.UTC));
            CompletionRequest request = request(model("rad", Behaviour.status(503).withHeader("retry-after", date)),
                    "hi").build();
            ProviderException.Retryable e = (ProviderException.Retryable) failure(p,
                    ChatCall.of(request.getJobId(), request, 1, now.plus(TIMEOUT)));
            assertThat(e.code()).isEqualTo("server_error");
            assertThat(e.retryAfter()).contains(Duration.ofSeconds(42));
        }
    }

    @Test
    void rateLimitResetOfAnEmptyBucketIsTheHint() {
        ProviderException.Retryable e = (ProviderException.Retryable) failure(provider, call(request(model("rlr",
                Behaviour.status(429)
                        .withHeader("x-ratelimit-remaining-tokens", "0")
                        .withHeader("x-ratelimit-reset-tokens", "1m30.5s")), "hi").build(), TIMEOUT));
        assertThat(e.retryAfter()).contains(Duration.ofMillis(90_500));
    }

    @Test
    void rateLimitedBySimulatorCarriesGoDurationResets() {
        // retry-after-ms wins, but the same value is in x-ratelimit-reset-*: both readings agree
        ProviderException.Retryable e = (ProviderException.Retryable) failure(provider, call(request(model("rlg",
                Behaviour.rateLimited(Duration.ofSeconds(2))), "hi").build(), TIMEOUT));
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(2));
    }

    @ParameterizedTest(name = "HTTP {0} -> retryable={1} {2}")
    @CsvSource({
            "400, false, bad_request",
            "401, false, unauthorized",
            "403, false, forbidden",
            "404, false, not_found",
            "408, true, timeout",
            "409, true, conflict",
            "413, false, payload_too_large",
            "422, false, unprocessable",
            "425, true, too_early",
            "429, true, rate_limited",
            "451, false, client_error",
            "500, true, server_error",
            "502, true, server_error",
            "503, true, server_error",
            "504, true, server_error",
            "599, true, server_error"})
    void classifiesStatuses(int status, boolean retryable, String code) {
        ProviderException e = failure(provider, call(request(model("st" + status, Behaviour.status(status)), "hi")
                .build(), TIMEOUT));
        assertThat(e.isRetryable()).isEqualTo(retryable);
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.httpStatus()).contains(status);
        assertThat(e.getMessage()).contains("HTTP " + status).contains("Simulated error");
        assertThat(e.context().provider()).isEqualTo("oa");
    }

    @Test
    void insufficientQuotaIsTerminal() {
        ProviderException e = failure(provider, call(request(model("quota", Behaviour.insufficientCredit()), "hi")
                .build(), TIMEOUT));
        assertThat(e).isInstanceOf(ProviderException.Terminal.class);
        assertThat(e.code()).isEqualTo("insufficient_credit");
    }

    @Test
    void malformedSuccessBodyIsRetryable() {
        ProviderException e = failure(provider, call(request(model("bad", Behaviour.malformedJson()), "hi").build(),
                TIMEOUT));
        assertThat(e).isInstanceOf(ProviderException.Retryable.class);
        assertThat(e.code()).isEqualTo("malformed_response");
        assertThat(e.httpStatus()).contains(200);
    }

    @Test
    void malformedStreamEventIsRetryable() {
        RecordingSink sink = new RecordingSink();
        ProviderException e = failure(provider, streamingCall(request(model("badstream", Behaviour.malformedJson()),
                "hi").setStream(true).build(), TIMEOUT, sink));
        assertThat(e).isInstanceOf(ProviderException.Retryable.class);
        assertThat(e.code()).isEqualTo("malformed_response");
        assertThat(sink.deltas()).as("the good chunk before the broken one").hasSize(1);
    }

    @Test
    void midStreamErrorsAreClassifiedByTheirCode() {
        for (Behaviour behaviour : List.of(Behaviour.midStreamError(), Behaviour.midStreamError().withErrorEvent())) {
            RecordingSink sink = new RecordingSink();
            ProviderException e = failure(provider, streamingCall(request(model("mid", behaviour), "a b c d e f")
                    .setStream(true).build(), TIMEOUT, sink));
            assertThat(e).isInstanceOf(ProviderException.Retryable.class);
            assertThat(e.code()).isIn("stream_error", "server_error");
            assertThat(e.getMessage()).contains("Simulated failure while generating");
            assertThat(sink.deltas()).isNotEmpty();
        }
    }

    @Test
    void hangingProviderTimesOutAtTheDeadline() {
        long start = System.nanoTime();
        ProviderException e = failure(provider, call(request(model("hang", Behaviour.hang()), "hi").build(),
                Duration.ofMillis(400)));
        assertThat(e).isInstanceOf(ProviderException.Retryable.class);
        assertThat(e.code()).isEqualTo("timeout");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void stalledStreamIsCutAtTheDeadline() {
        RecordingSink sink = new RecordingSink();
        long start = System.nanoTime();
        ProviderException e = failure(provider, streamingCall(request(model("stall",
                Behaviour.ok("a b c d e f g h").withChunkDelay(Duration.ofSeconds(2))), "hi").setStream(true).build(),
                Duration.ofMillis(600), sink));
        assertThat(e).isInstanceOf(ProviderException.Retryable.class);
        assertThat(e.code()).isEqualTo("timeout");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    /** Failsafe's per-attempt timeout interrupts the calling thread: the call must end at once, flag kept. */
    private static void assertInterruptionEndsTheCall(ChatCall call, BooleanSupplier inFlight) throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                provider.complete(call);
            } catch (Throwable t) {
                thrown.set(t);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(inFlight::getAsBoolean);
        caller.interrupt();
        assertThat(caller.join(Duration.ofSeconds(5))).as("call ended").isTrue();
        assertThat(thrown.get()).isInstanceOfSatisfying(ProviderException.Retryable.class,
                e -> assertThat(e.code()).isEqualTo("interrupted"));
        assertThat(stillInterrupted).isTrue();
    }

    @Test
    void interruptionWhileWaitingForTheAnswerEndsTheCall() throws Exception {
        String model = model("intr", Behaviour.hang());
        assertInterruptionEndsTheCall(call(request(model, "hi").build(), TIMEOUT),
                () -> WORLD.simulator().totalRequestsForModel(model) >= 1);
    }

    @Test
    void interruptionWhileReadingAStreamEndsTheCall() throws Exception {
        String model = model("intrs", Behaviour.ok("a b c d e f").withChunkDelay(Duration.ofSeconds(3)));
        RecordingSink sink = new RecordingSink();
        assertInterruptionEndsTheCall(streamingCall(request(model, "hi").setStream(true).build(), TIMEOUT, sink),
                () -> !sink.deltas().isEmpty());
    }

    @Test
    void expiredDeadlineFailsBeforeSending() {
        String model = model("late");
        ProviderException e = failure(provider, call(request(model, "hi").build(), Duration.ofMillis(-1)));
        assertThat(e.code()).isEqualTo("timeout");
        assertThat(WORLD.simulator().requestsForModel(model)).isEmpty();
    }

    @Test
    void refusedConnectionIsRetryable() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ChatProvider nowhere = WORLD.create(OpenAiProviderFactory::new,
                settings("nowhere", "openai", "http://127.0.0.1:" + port));
        ProviderException e = failure(nowhere, call(request("m", "hi").build(), TIMEOUT));
        assertThat(e).isInstanceOf(ProviderException.Retryable.class);
        assertThat(e.code()).isEqualTo("connection_failed");
        assertThat(e.httpStatus()).isEmpty();
    }

    @Test
    void resetConnectionIsRetryable() {
        ProviderException e = failure(provider, call(request(model("reset", Behaviour.connectionReset()), "hi")
                .build(), TIMEOUT));
        assertThat(e).isInstanceOf(ProviderException.Retryable.class);
        assertThat(e.code()).isEqualTo("connection_failed");
    }

    @Test
    void ragCollectionIsRejected() {
        assertThatThrownBy(() -> provider.validate(request("m", "hi").setRagCollection("docs").build()))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.parameter()).isEqualTo("rag_collection");
                    assertThat(e.getMessage()).contains("oa").contains("openai");
                });
        provider.validate(request("m", "hi").setTopK(5).setChatTemplateKwargs("{\"thinking\":true}").build());
    }

    @Test
    void assetIdsAreRejectedNotDropped() {
        assertThatThrownBy(() -> provider.validate(request("m", "hi")
                .setAssetIds(List.of("8c4d3a1e-0a3b-4b8e-9f1a-2d6c5e7f8a9b")).build()))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.parameter()).isEqualTo("asset_ids");
                    assertThat(e.getMessage()).contains("not supported by provider oa (openai)");
                });
    }

    @Test
    void apiKeyNeverAppearsInExceptions() throws IOException {
        String secret = "sk-SECRET-123";
        ProviderSettings s = settings("secret", "openai", WORLD.simulator().baseUrl(Dialect.OPENAI));
        s.setApiKey(secret);
        ChatProvider keyed = WORLD.create(OpenAiProviderFactory::new, s);
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ProviderSettings refused = settings("secret2", "openai", "http://127.0.0.1:" + closedPort);
        refused.setApiKey(secret);
        String unauthorized = model("s401");
        WORLD.simulator().setApiKey(Dialect.OPENAI, "sk-other");
        ProviderException rejected;
        try {
            rejected = failure(keyed, call(request(unauthorized, "hi").build(), TIMEOUT));
        } finally {
            WORLD.simulator().setApiKey(Dialect.OPENAI, null);
        }
        List<ProviderException> failures = List.of(
                rejected,
                failure(keyed, call(request(model("s500", Behaviour.status(500)), "hi").build(), TIMEOUT)),
                failure(keyed, call(request(model("s429", Behaviour.rateLimited(Duration.ofSeconds(1))), "hi")
                        .build(), TIMEOUT)),
                failure(keyed, call(request(model("sbad", Behaviour.malformedJson()), "hi").build(), TIMEOUT)),
                failure(keyed, call(request(model("shang", Behaviour.hang()), "hi").build(),
                        Duration.ofMillis(300))),
                failure(WORLD.create(OpenAiProviderFactory::new, refused),
                        call(request("m", "hi").build(), TIMEOUT)));
        assertThat(failures.get(0).code()).isEqualTo("unauthorized");
        // the key was really sent, so a leak could have been caught
        assertThat(WORLD.simulator().requestsForModel(unauthorized).get(0).header("authorization"))
                .contains("Bearer " + secret);
        for (ProviderException e : failures) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain(secret);
                assertThat(t.toString()).doesNotContain(secret);
            }
        }
        assertThat(s.toString()).doesNotContain(secret);
    }
}
