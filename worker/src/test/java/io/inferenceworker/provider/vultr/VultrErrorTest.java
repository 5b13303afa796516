package io.inferenceworker.provider.vultr;

import static io.inferenceworker.provider.ChatFixtures.call;
import static io.inferenceworker.provider.ChatFixtures.failure;
import static io.inferenceworker.provider.ChatFixtures.request;
import static io.inferenceworker.provider.ChatFixtures.streamingCall;
import static org.assertj.core.api.Assertions.assertThat;

import io.inferenceworker.provider.ChatFixtures.RecordingSink;
import io.inferenceworker.provider.ChatProvider;
import io.inferenceworker.provider.ProviderException;
import io.inferenceworker.provider.ProviderSettings;
import io.inferenceworker.provider.SimulatorWorld;
import io.inferenceworker.testkit.sim.Behaviour;
import io.inferenceworker.testkit.sim.Dialect;
import io.inferenceworker.testkit.sim.ProviderSimulator;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How the Vultr adapter classifies the simulator's faults: statuses, retry hints, broken bodies and streams. */
class VultrErrorTest {
    private static final String KEY = "vultr-secret-key-4711";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @RegisterExtension
    static final SimulatorWorld WORLD = SimulatorWorld.of(ProviderSimulator.builder().withApiKey(Dialect.VULTR, KEY)
            .withHangLimit(Duration.ofSeconds(5)));

    private static ChatProvider provider;

    @BeforeAll
    static void start() {
        provider = vultr(KEY);
    }

    private static ChatProvider vultr(String key) {
        ProviderSettings settings = WORLD.settings("vu", "vultr", Dialect.VULTR);
        settings.setApiKey(key);
        return WORLD.create(VultrProviderFactory::new, settings);
    }

    private static String model(String scenario, Behaviour... behaviours) {
        return WORLD.model(scenario, behaviours);
    }

    private static ProviderException failureOf(Behaviour behaviour) {
        return failure(provider, call(request(model("err", behaviour), "hi").build(), TIMEOUT));
    }

    @ParameterizedTest
    @CsvSource({
        "400, bad_request", "403, forbidden", "404, not_found", "413, payload_too_large", "422, unprocessable",
        "418, client_error"})
    void clientErrorsAreTerminal(int status, String code) {
        ProviderException e = failureOf(Behaviour.status(status));
        assertThat(e).isInstanceOf(ProviderException.Terminal.class);
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.httpStatus()).contains(status);
        assertThat(e.providerRequestId()).isPresent();
        assertThat(e.getMessage()).contains("HTTP " + status).contains("Simulated error")
                .contains("job ").contains("provider vu");
    }

    @ParameterizedTest
    @CsvSource({
        "408, timeout", "409, conflict", "425, too_early", "429, rate_limited", "500, server_error",
        "502, server_error", "503, server_error", "504, server_error"})
    void transientErrorsAreRetryable(int status, String code) {
        ProviderException e = failureOf(Behaviour.status(status));
        assertThat(e).isInstanceOf(ProviderException.Retryable.class);
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.httpStatus()).contains(status);
    }

    @Test
    void wrongKeyIsTerminalUnauthorizedAndTheKeyIsNotInTheMessage() {
        ProviderException e = failure(vultr("wrong-key-999"), call(request(model("auth", Behaviour.ok()), "hi")
                .build(), TIMEOUT));
        assertThat(e).isInstanceOf(ProviderException.Terminal.class);
        assertThat(e.code()).isEqualTo("unauthorized");
        assertThat(e.getMessage()).doesNotContain("wrong-key-999").doesNotContain(KEY);
    }

    @Test
    void insufficientCreditIsTerminal() {
        ProviderException e = failureOf(Behaviour.insufficientCredit());
        assertThat(e).isInstanceOf(ProviderException.Terminal.class);
        assertThat(e.code()).isEqualTo("insufficient_credit");
        assertThat(e.httpStatus()).contains(429);
    }

    @Test
    void rateLimitCarriesTheRetryHint() {
        ProviderException e = failureOf(Behaviour.rateLimited(Duration.ofMillis(2500)));
        assertThat(e).isInstanceOfSatisfying(ProviderException.Retryable.class, r -> {
            assertThat(r.code()).isEqualTo("rate_limited");
            assertThat(r.retryAfter()).contains(Duration.ofMillis(2500));
        });
    }

    @Test
    void retryAfterSecondsAndHttpDateAreHonoured() {
        ProviderException seconds = failureOf(Behaviour.status(503).withHeader("retry-after", "7"));
        assertThat(((ProviderException.Retryable) seconds).retryAfter()).contains(Duration.ofSeconds(7));

        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(120).withNano(0));
        ProviderException dated = failureOf(Behaviour.status(429).withHeader("retry-after", date));
        assertThat(((ProviderException.Retryable) dated).retryAfter()).hasValueSatisfying(
                d -> assertThat(d).isBetween(Duration.ofSeconds(100), Duration.ofSeconds(121)));
    }

    @Test
    void rateLimitResetHeadersAreHonoured() {
        ProviderException e = failureOf(Behaviour.status(429)
                .withHeader("x-ratelimit-remaining-requests", "0")
                .withHeader("x-ratelimit-reset-requests", "6m0s")
                .withHeader("x-ratelimit-remaining-tokens", "100")
                .withHeader("x-ratelimit-reset-tokens", "20ms"));
        assertThat(((ProviderException.Retryable) e).retryAfter()).contains(Duration.ofMinutes(6));
    }

    @Test
    void malformedBodyIsRetryable() {
        ProviderException e = failureOf(Behaviour.malformedJson());
        assertThat(e).isInstanceOf(ProviderException.Retryable.class);
        assertThat(e.code()).isEqualTo("malformed_response");

        ProviderException streamed = failure(provider, streamingCall(request(model("mstream",
                Behaviour.malformedJson()), "one two three").setStream(true).build(), TIMEOUT, new RecordingSink()));
        assertThat(streamed).isInstanceOf(ProviderException.Retryable.class);
        assertThat(streamed.code()).isEqualTo("malformed_response");
    }

    @Test
    void midStreamErrorIsRetryableAfterTheFirstDeltas() {
        RecordingSink sink = new RecordingSink();
        ProviderException e = failure(provider, streamingCall(request(model("mid", Behaviour.midStreamError()),
                "one two three four five six").setStream(true).build(), TIMEOUT, sink));
        assertThat(e).isInstanceOf(ProviderException.Retryable.class);
        assertThat(e.getMessage()).contains("Simulated failure");
        assertThat(sink.content(0)).isNotEmpty();

        ProviderException event = failure(provider, streamingCall(request(model("midev",
                Behaviour.midStreamError().withErrorEvent()), "one two three four").setStream(true).build(), TIMEOUT,
                new RecordingSink()));
        assertThat(event).isInstanceOf(ProviderException.Retryable.class);
    }

    @Test
    void midStreamBehaviourWithoutStreamingIsAServerError() {
        ProviderException e = failureOf(Behaviour.midStreamError());
        assertThat(e).isInstanceOf(ProviderException.Retryable.class);
        assertThat(e.code()).isEqualTo("server_error");
    }

    @Test
    void statusErrorOnAStreamIsClassifiedLikeAnyOther() {
        ProviderException e = failure(provider, streamingCall(request(model("s401", Behaviour.status(404)), "hi")
                .setStream(true).build(), TIMEOUT, new RecordingSink()));
        assertThat(e).isInstanceOf(ProviderException.Terminal.class);
        assertThat(e.code()).isEqualTo("not_found");
    }

    @Test
    void connectionResetIsRetryable() {
        ProviderException e = failureOf(Behaviour.connectionReset());
        assertThat(e).isInstanceOf(ProviderException.Retryable.class);
        assertThat(e.code()).isEqualTo("connection_failed");
    }

    @Test
    void theAttemptDeadlineIsHonoured() {
        long started = System.nanoTime();
        ProviderException e = failure(provider, call(request(model("hang", Behaviour.hang()), "hi").build(),
                Duration.ofMillis(400)));
        assertThat(e).isInstanceOf(ProviderException.Retryable.class);
        assertThat(e.code()).isEqualTo("timeout");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));

        ProviderException slowStream = failure(provider, streamingCall(request(model("slow",
                Behaviour.ok("a b c d e f g h").withChunkDelay(Duration.ofMillis(300))), "hi").setStream(true)
                .build(), Duration.ofMillis(600), new RecordingSink()));
        assertThat(slowStream).isInstanceOf(ProviderException.Retryable.class);
    }

    @Test
    void ragErrorsAreClassifiedToo() {
        ProviderException e = failure(provider, call(request(model("ragerr", Behaviour.status(503)), "hi")
                .setRagCollection("c").build(), TIMEOUT));
        assertThat(e).isInstanceOf(ProviderException.Retryable.class);
        assertThat(e.code()).isEqualTo("server_error");
    }
}
