package io.inferenceworker.provider.elastic;

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
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How the Elasticsearch adapter classifies the simulator's faults: {@code event: error} before the stream (the
 * status is the error's), the classic Elasticsearch JSON for authentication failures, error events in place of
 * {@code [DONE]}, retry hints, broken and stalled streams.
 */
class ElasticErrorTest {
    private static final String KEY = "ZXM6c2VjcmV0LWtleS00NzEx";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @RegisterExtension
    static final SimulatorWorld WORLD = SimulatorWorld.of(ProviderSimulator.builder().withApiKey(Dialect.ELASTIC, KEY)
            .withHangLimit(Duration.ofSeconds(5)));

    private static ChatProvider provider;

    @BeforeAll
    static void start() {
        provider = elastic(KEY);
    }

    private static ChatProvider elastic(String key) {
        ProviderSettings settings = WORLD.settings("es", "elastic", Dialect.ELASTIC);
        settings.setApiKey(key);
        return WORLD.create(ElasticProviderFactory::new, settings);
    }

    private static String inferenceId(Behaviour... behaviours) {
        return WORLD.model("err", behaviours);
    }

    private static ProviderException failureOf(Behaviour behaviour) {
        return failure(provider, call(request(inferenceId(behaviour), "hi").build(), TIMEOUT));
    }

    @ParameterizedTest
    @CsvSource({"400, bad_request", "404, not_found", "413, payload_too_large", "422, unprocessable",
        "418, client_error"})
    void errorEventBeforeTheStreamIsTerminalForClientErrors(int status, String code) {
        ProviderException e = failureOf(Behaviour.errorBeforeStream(status));
        assertThat(e).isInstanceOf(ProviderException.Terminal.class);
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.httpStatus()).contains(status);
        assertThat(e.providerRequestId()).isPresent();
        // The message and type come from the event's data, not the raw event-stream text.
        assertThat(e.getMessage()).contains("HTTP " + status + ": Simulated error").contains("(type status_exception)")
                .doesNotContain("event:").contains("provider es");
    }

    @ParameterizedTest
    @CsvSource({"408, timeout", "409, conflict", "429, rate_limited", "500, server_error", "502, server_error",
        "503, server_error", "504, server_error"})
    void errorEventBeforeTheStreamIsRetryableForTransientErrors(int status, String code) {
        ProviderException e = failureOf(Behaviour.status(status));
        assertThat(e).isInstanceOf(ProviderException.Retryable.class);
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.httpStatus()).contains(status);
    }

    @Test
    void errorBeforeAStreamingJobsStreamIsClassifiedTheSame() {
        RecordingSink sink = new RecordingSink();
        ProviderException e = failure(provider, streamingCall(request(inferenceId(Behaviour.errorBeforeStream(404)),
                "hi").setStream(true).build(), TIMEOUT, sink));
        assertThat(e).isInstanceOf(ProviderException.Terminal.class);
        assertThat(e.code()).isEqualTo("not_found");
        assertThat(sink.deltas()).isEmpty();
    }

    @Test
    void wrongKeyIsTheClassicSecurityExceptionAndTheKeyIsNotInTheMessage() {
        String wrong = "d3Jvbmc6a2V5LTk5OQ==";
        ProviderException e = failure(elastic(wrong), call(request(inferenceId(Behaviour.ok()), "hi").build(),
                TIMEOUT));
        assertThat(e).isInstanceOf(ProviderException.Terminal.class);
        assertThat(e.code()).isEqualTo("unauthorized");
        assertThat(e.httpStatus()).contains(401);
        assertThat(e.getMessage()).contains("unable to authenticate").contains("(type security_exception)")
                .doesNotContain(wrong).doesNotContain(KEY);
    }

    @Test
    void missingKeyIsUnauthorized() {
        ProviderException e = failure(elastic(null), call(request(inferenceId(Behaviour.ok()), "hi").build(),
                TIMEOUT));
        assertThat(e.code()).isEqualTo("unauthorized");
        assertThat(e.getMessage()).contains("missing authentication credentials");
    }

    @Test
    void forbiddenIsTheClassicSecurityException() {
        ProviderException e = failureOf(Behaviour.status(403));
        assertThat(e).isInstanceOf(ProviderException.Terminal.class);
        assertThat(e.code()).isEqualTo("forbidden");
        assertThat(e.getMessage()).contains("is unauthorized for API key").contains("(type security_exception)");
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 403})
    void securityStatusAsAnErrorEventIsTerminal(int status) {
        ProviderException e = failureOf(Behaviour.errorBeforeStream(status));
        assertThat(e).isInstanceOf(ProviderException.Terminal.class);
        assertThat(e.httpStatus()).contains(status);
    }

    @Test
    void rateLimitCarriesTheRetryHint() {
        ProviderException e = failureOf(Behaviour.rateLimited(Duration.ofMillis(2500)));
        assertThat(e).isInstanceOfSatisfying(ProviderException.Retryable.class, r -> {
            assertThat(r.code()).isEqualTo("rate_limited");
            assertThat(r.httpStatus()).contains(429);
            assertThat(r.retryAfter()).contains(Duration.ofMillis(2500));
            assertThat(r.getMessage()).contains("Rate limit reached");
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
    void insufficientQuotaIsTerminal() {
        ProviderException e = failureOf(Behaviour.insufficientCredit());
        assertThat(e).isInstanceOf(ProviderException.Terminal.class);
        assertThat(e.code()).isEqualTo("insufficient_credit");
        assertThat(e.httpStatus()).contains(429);
    }

    @Test
    void errorEventInPlaceOfDoneIsARetryableStreamError() {
        RecordingSink sink = new RecordingSink();
        ProviderException e = failure(provider, streamingCall(request(inferenceId(Behaviour.midStreamError()),
                "one two three four five six").setStream(true).build(), TIMEOUT, sink));
        assertThat(e).isInstanceOf(ProviderException.Retryable.class);
        assertThat(e.code()).isEqualTo("stream_error");
        assertThat(e.httpStatus()).contains(200);
        assertThat(e.providerRequestId()).isPresent();
        assertThat(e.getMessage()).contains("Simulated failure while generating the completion");
        assertThat(sink.content(0)).isNotEmpty();
    }

    @Test
    void errorEventInPlaceOfDoneFailsANonStreamingJobToo() {
        ProviderException e = failureOf(Behaviour.midStreamError());
        assertThat(e).isInstanceOf(ProviderException.Retryable.class);
        assertThat(e.code()).isEqualTo("stream_error");
    }

    @Test
    void brokenChunkIsRetryable() {
        ProviderException e = failureOf(Behaviour.malformedJson());
        assertThat(e).isInstanceOf(ProviderException.Retryable.class);
        assertThat(e.code()).isEqualTo("malformed_response");
    }

    @Test
    void connectionResetIsRetryable() {
        ProviderException e = failureOf(Behaviour.connectionReset());
        assertThat(e).isInstanceOf(ProviderException.Retryable.class);
        assertThat(e.code()).isIn("connection_failed", "stream_error");
    }

    @Test
    void stalledAnswerTimesOutAtTheAttemptDeadline() {
        long started = System.nanoTime();
        ProviderException e = failure(provider, call(request(inferenceId(Behaviour.hang()), "hi").build(),
                Duration.ofMillis(600)));
        assertThat(e).isInstanceOf(ProviderException.Retryable.class);
        assertThat(e.code()).isEqualTo("timeout");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void stalledStreamIsCutAtTheAttemptDeadline() {
        RecordingSink sink = new RecordingSink();
        ProviderException e = failure(provider, streamingCall(request(inferenceId(
                Behaviour.ok("a b c d e f g h i j").withChunkDelay(Duration.ofMillis(300))), "hi").setStream(true)
                .build(), Duration.ofMillis(900), sink));
        assertThat(e).isInstanceOf(ProviderException.Retryable.class);
        assertThat(e.code()).isEqualTo("timeout");
        assertThat(sink.content(0)).isNotEmpty();
    }
}
