package io.inferenceworker.provider.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.inferenceworker.provider.ProviderException;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every failure the compat client reports, built in one place from the dialect's table, outage verdict included. */
class ErrorClassifierTest {
    private static final String KEY = "sk-classifier-secret";
    private static final ProviderException.Context CONTEXT = new ProviderException.Context("job-1", "p", 1);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final HttpHeaders JSON = headers(Map.of("content-type", List.of("application/json"),
            "x-request-id", List.of("req-9"), "retry-after", List.of("3")));

    private final ErrorClassifier errors = new ErrorClassifier(" " + KEY + " ", OpenAiJson.newMapper(), CLOCK);

    private static HttpHeaders headers(Map<String, List<String>> map) {
        return HttpHeaders.of(map, (name, value) -> true);
    }

    @ParameterizedTest(name = "HTTP {0} -> {1} retryable={2} outage={3}")
    @CsvSource({
            "503, server_error, true, true",
            "599, server_error, true, true",
            "408, timeout, true, true",
            "429, rate_limited, true, false",
            "409, conflict, true, false",
            "425, too_early, true, false",
            "400, bad_request, false, false",
            "404, not_found, false, false",
            "302, unexpected_status, false, false"})
    void statusesFollowTheTableWithTheirOutageVerdict(int status, String code, boolean retryable, boolean outage) {
        ProviderException e = errors.httpError(CONTEXT, StatusPolicy.defaults(), status, JSON,
                "{\"error\":{\"message\":\"no\",\"type\":\"t\"}}");
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.isRetryable()).isEqualTo(retryable);
        assertThat(e.outage()).isEqualTo(outage);
        assertThat(e.httpStatus()).contains(status);
        assertThat(e.providerRequestId()).contains("req-9");
        assertThat(e.context()).isEqualTo(CONTEXT);
        if (e instanceof ProviderException.Retryable r) {
            assertThat(r.retryAfter()).as("the provider's hint").contains(Duration.ofSeconds(3));
        }
    }

    @Test
    void theSharedQuotaOverrideMakesA429Terminal() {
        StatusPolicy table = StatusPolicy.defaults().with(StatusPolicy.INSUFFICIENT_QUOTA);
        ProviderException e = errors.httpError(CONTEXT, table, 429, JSON,
                "{\"error\":{\"message\":\"pay up\",\"type\":\"insufficient_quota\"}}");
        assertThat(e).isInstanceOf(ProviderException.Terminal.class);
        assertThat(e.code()).isEqualTo("insufficient_credit");
        assertThat(e.outage()).isFalse();
    }

    @Test
    void aDialectRuleDecidesTheOutageVerdict() {
        StatusPolicy table = StatusPolicy.defaults().withStatus(404, StatusPolicy.Rule.busy("gone"))
                .withStatus(418, StatusPolicy.Rule.down("teapot_down"));
        assertThat(errors.httpError(CONTEXT, table, 404, JSON, "").outage()).isFalse();
        assertThat(errors.httpError(CONTEXT, table, 404, JSON, "").isRetryable()).isTrue();
        assertThat(errors.httpError(CONTEXT, table, 418, JSON, "").outage()).isTrue();
    }

    @ParameterizedTest(name = "in-stream code {0} -> {1} outage={2}")
    @CsvSource({
            "429, rate_limited, false",
            "503, server_error, true",
            "something_new, stream_error, true"})
    void inStreamErrorsAreClassifiedByTheirCode(String code, String expected, boolean outage) {
        ProviderException e = errors.inAnswer(CONTEXT, StatusPolicy.defaults(), 200, "req-1",
                "{\"error\":{\"code\":\"" + code + "\",\"message\":\"upstream\"}}");
        assertThat(e.code()).isEqualTo(expected);
        assertThat(e.isRetryable()).isTrue();
        assertThat(e.outage()).isEqualTo(outage);
        assertThat(e.httpStatus()).contains(200);
        assertThat(e.getMessage()).contains("upstream");
    }

    @Test
    void brokenAnswersAreRetryableOutages() {
        ProviderException malformed = errors.malformed(CONTEXT, 200, "req-1", "answer is not valid JSON", null);
        assertThat(malformed.code()).isEqualTo("malformed_response");
        assertThat(malformed.isRetryable()).isTrue();
        assertThat(malformed.outage()).isTrue();
        ProviderException ended = errors.streamEnded(CONTEXT, 200, "req-1");
        assertThat(ended.code()).isEqualTo("stream_error");
        assertThat(ended.outage()).isTrue();
    }

    @Test
    void aJsonParseErrorIsPlacedByLineAndColumnWithoutTheParsersMessage() {
        JsonProcessingException parse = assertThrows(JsonProcessingException.class,
                () -> OpenAiJson.newMapper().readTree("{\n  \"secret completion\" oops}"));
        ProviderException e = errors.malformed(CONTEXT, 200, "req-1", "answer is not valid JSON", parse);
        assertThat(e.getMessage()).contains("answer is not valid JSON (line 2, column ").doesNotContain("secret");
        assertThat(e.getCause()).isNull();
    }

    @Test
    void anErrorStatusWithAnEventStreamBodyIsReadFromItsFirstEvent() {
        HttpHeaders sse = headers(Map.of("content-type", List.of("text/event-stream")));
        ProviderException e = errors.httpError(CONTEXT, StatusPolicy.defaults().with(StatusPolicy.INSUFFICIENT_QUOTA),
                429, sse, "event: error\ndata: {\"error\":{\"code\":\"insufficient_quota\",\"message\":\"m\"}}\n\n");
        assertThat(e.code()).isEqualTo("insufficient_credit");
    }

    @Test
    void theKeyNeverReachesAMessage() {
        ProviderException e = errors.httpError(CONTEXT, StatusPolicy.defaults(), 401, JSON,
                "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + "\\r\\nSee docs\"}}");
        assertThat(e.getMessage()).doesNotContain(KEY).contains("<redacted>").doesNotContain("\r");
    }
}
