package io.inferenceworker.provider.nvidia;

import static io.inferenceworker.provider.ChatFixtures.call;
import static io.inferenceworker.provider.ChatFixtures.failure;
import static io.inferenceworker.provider.ChatFixtures.request;
import static io.inferenceworker.provider.ChatFixtures.streamingCall;
import static io.inferenceworker.provider.nvidia.NvidiaFixtures.API_KEY;
import static io.inferenceworker.provider.nvidia.NvidiaFixtures.nvidiaSettings;
import static org.assertj.core.api.Assertions.assertThat;

import io.inferenceworker.provider.ChatFixtures.RecordingSink;
import io.inferenceworker.provider.ChatProvider;
import io.inferenceworker.provider.ProviderException;
import io.inferenceworker.provider.ProviderSettings;
import io.inferenceworker.provider.SimulatorWorld;
import io.inferenceworker.testkit.sim.Behaviour;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How the NVIDIA adapter classifies each error shape and retry hint of the simulator's NVIDIA dialect. */
class NvidiaErrorTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

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

    private static ProviderException failureOf(String model) {
        return failure(provider, call(request(model, "hi").build(), TIMEOUT));
    }

    @Test
    void validationProblemDetailsAreATerminalUnprocessable() {
        // validate() would reject it first; this is what NVIDIA answers if it got through.
        ProviderException e = failure(provider, call(request(model("hot"), "hi").setTemperature(1.5).build(),
                TIMEOUT));

        assertThat(e).isInstanceOf(ProviderException.Terminal.class);
        assertThat(e.code()).isEqualTo("unprocessable");
        assertThat(e.httpStatus()).contains(422);
        assertThat(e.getMessage()).contains("HTTP 422").contains("temperature").contains("must be a number between 0")
                .contains("urn:kaizen:problem-details");
        assertThat(e.providerRequestId()).isPresent();
    }

    @Test
    void bare429IsRetryableRateLimitedWithoutHint() {
        ProviderException e = failureOf(model("bare429", Behaviour.status(429)));

        assertThat(e).isInstanceOfSatisfying(ProviderException.Retryable.class,
                r -> assertThat(r.retryAfter()).isEmpty());
        assertThat(e.code()).isEqualTo("rate_limited");
        assertThat(e.httpStatus()).contains(429);
        assertThat(e.getMessage()).contains("HTTP 429: Too Many Requests");
    }

    @Test
    void rateLimitHintsArePassedOn() {
        ProviderException ms = failureOf(model("hint-ms", Behaviour.rateLimited(Duration.ofMillis(1500))));
        assertThat(ms).isInstanceOfSatisfying(ProviderException.Retryable.class,
                r -> assertThat(r.retryAfter()).contains(Duration.ofMillis(1500)));
        assertThat(ms.code()).isEqualTo("rate_limited");

        ProviderException seconds = failureOf(model("hint-s", Behaviour.status(503).withHeader("retry-after", "7")));
        assertThat(seconds).isInstanceOfSatisfying(ProviderException.Retryable.class,
                r -> assertThat(r.retryAfter()).contains(Duration.ofSeconds(7)));
        assertThat(seconds.code()).isEqualTo("server_error");

        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(30));
        ProviderException dated = failureOf(model("hint-date", Behaviour.status(429).withHeader("retry-after", date)));
        assertThat(dated).isInstanceOfSatisfying(ProviderException.Retryable.class,
                r -> assertThat(r.retryAfter()).hasValueSatisfying(d -> assertThat(d)
                        .isBetween(Duration.ofSeconds(25), Duration.ofSeconds(31))));
    }

    @ParameterizedTest
    @CsvSource({
            "400, false, bad_request",
            "403, false, forbidden",
            "404, false, not_found",
            "408, true, timeout",
            "500, true, server_error",
            "502, true, server_error",
            "503, true, server_error",
            "504, true, server_error"})
    void problemDetailsStatusesAreClassified(int status, boolean retryable, String code) {
        ProviderException e = failureOf(model("status" + status, Behaviour.status(status)));

        assertThat(e.isRetryable()).isEqualTo(retryable);
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.httpStatus()).contains(status);
        assertThat(e.getMessage()).contains("Simulated error: HTTP " + status).contains("(type urn:kaizen:");
        assertThat(e.providerRequestId()).as("the NVCF-REQID header").hasValueSatisfying(id ->
                assertThat(id).matches("[0-9a-f-]{36}"));
    }

    @Test
    void wrongKeyIsTerminalUnauthorizedAndTheKeyIsNeverShown() {
        ProviderSettings settings = nvidiaSettings(WORLD.simulator(), Map.of());
        String wrongKey = "nvapi-wrong-secret-9876543210";
        settings.setApiKey(wrongKey);
        ChatProvider wrong = WORLD.create(NvidiaProviderFactory::new, settings);

        ProviderException e = failure(wrong, call(request(model("auth"), "hi").build(), TIMEOUT));

        assertThat(e).isInstanceOf(ProviderException.Terminal.class);
        assertThat(e.code()).isEqualTo("unauthorized");
        assertThat(e.getMessage()).contains("Invalid or missing API key").doesNotContain(wrongKey)
                .doesNotContain(API_KEY);
    }

    @Test
    void midStreamErrorLineIsClassifiedByItsCode() {
        RecordingSink sink = new RecordingSink();
        ProviderException e = failure(provider, streamingCall(request(model("mid", Behaviour.midStreamError()),
                "one two three four five six").setStream(true).build(), TIMEOUT, sink));

        assertThat(e).isInstanceOf(ProviderException.Retryable.class);
        assertThat(e.code()).isEqualTo("server_error");
        assertThat(e.httpStatus()).contains(200);
        assertThat(e.getMessage()).contains("Simulated failure while generating the completion");
        assertThat(e.providerRequestId()).isPresent();
        assertThat(sink.content(0)).as("the part streamed before the error").startsWith("Echo:");
    }

    @Test
    void midStreamErrorOfANonStreamedCallIsAProblemDetails500() {
        ProviderException e = failureOf(model("mid-once", Behaviour.midStreamError()));
        assertThat(e.code()).isEqualTo("server_error");
        assertThat(e.httpStatus()).contains(500);
    }

    @Test
    void malformedAnswersAreRetryable() {
        ProviderException once = failureOf(model("garbled", Behaviour.malformedJson()));
        assertThat(once).isInstanceOf(ProviderException.Retryable.class);
        assertThat(once.code()).isEqualTo("malformed_response");

        ProviderException streamed = failure(provider, streamingCall(request(model("garbled-stream",
                Behaviour.malformedJson()), "a b c").setStream(true).build(), TIMEOUT, new RecordingSink()));
        assertThat(streamed).isInstanceOf(ProviderException.Retryable.class);
        assertThat(streamed.code()).isEqualTo("malformed_response");
    }

    @Test
    void droppedConnectionIsRetryable() {
        ProviderException e = failureOf(model("reset", Behaviour.connectionReset()));
        assertThat(e).isInstanceOf(ProviderException.Retryable.class);
        assertThat(e.code()).isEqualTo("connection_failed");
    }

    @Test
    void silentProviderTimesOutAtTheAttemptDeadline() {
        long started = System.nanoTime();
        ProviderException e = failure(provider, call(request(model("hang", Behaviour.hang()), "hi").build(),
                Duration.ofMillis(400)));

        assertThat(e).isInstanceOf(ProviderException.Retryable.class);
        assertThat(e.code()).isEqualTo("timeout");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }
}
