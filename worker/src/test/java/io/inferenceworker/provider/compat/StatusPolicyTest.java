package io.inferenceworker.provider.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatusPolicyTest {

    @ParameterizedTest(name = "{0} -> retryable={1} {2} outage={3}")
    @CsvSource({
            "408, true, timeout, true",
            "409, true, conflict, false",
            "425, true, too_early, false",
            "429, true, rate_limited, false",
            "500, true, server_error, true",
            "502, true, server_error, true",
            "503, true, server_error, true",
            "504, true, server_error, true",
            "507, true, server_error, true",
            "400, false, bad_request, false",
            "401, false, unauthorized, false",
            "403, false, forbidden, false",
            "404, false, not_found, false",
            "413, false, payload_too_large, false",
            "422, false, unprocessable, false",
            "402, false, client_error, false",
            "451, false, client_error, false",
            "202, false, unexpected_status, false",
            "302, false, unexpected_status, false"})
    void defaults(int status, boolean retryable, String code, boolean outage) {
        StatusPolicy policy = StatusPolicy.defaults();
        assertThat(policy.isSuccess(status)).isFalse();
        assertThat(policy.classify(status)).isEqualTo(new StatusPolicy.Rule(retryable, code, outage));
    }

    @Test
    void aTerminalRuleIsNeverAnOutage() {
        assertThatThrownBy(() -> new StatusPolicy.Rule(false, "x", true)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyTwoHundredIsSuccessByDefault() {
        assertThat(StatusPolicy.defaults().isSuccess(200)).isTrue();
        assertThat(StatusPolicy.defaults().isSuccess(201)).isFalse();
    }

    @Test
    void overridesReplaceTheDefaultForOneStatus() {
        StatusPolicy nscale = StatusPolicy.defaults().withSuccess(201)
                .withStatus(429, StatusPolicy.Rule.fail("insufficient_credit"));
        assertThat(nscale.isSuccess(201)).isTrue();
        assertThat(nscale.classify(429)).isEqualTo(StatusPolicy.Rule.fail("insufficient_credit"));
        assertThat(nscale.classify(503)).isEqualTo(StatusPolicy.Rule.down("server_error"));
        assertThat(StatusPolicy.defaults().classify(429).retryable()).as("defaults unchanged").isTrue();
    }

    @Test
    void bodyRulesMatchTypeOrCode() {
        StatusPolicy policy = StatusPolicy.defaults()
                .with(StatusPolicy.INSUFFICIENT_QUOTA);
        assertThat(policy.classify(429, Optional.of(new ProviderError("no money", "insufficient_quota", null, null))))
                .isEqualTo(StatusPolicy.Rule.fail("insufficient_credit"));
        assertThat(policy.classify(429, Optional.of(new ProviderError("slow", "requests", "INSUFFICIENT_QUOTA", null))))
                .isEqualTo(StatusPolicy.Rule.fail("insufficient_credit"));
        assertThat(policy.classify(429, Optional.of(new ProviderError("slow", "requests", "rate_limit_exceeded",
                null)))).isEqualTo(StatusPolicy.Rule.busy("rate_limited"));
        assertThat(policy.classify(429)).isEqualTo(StatusPolicy.Rule.busy("rate_limited"));
    }

    @Test
    void streamCodesAreNumericByDefaultAndNamedOnesCanBeAdded() {
        assertThat(StatusPolicy.defaults().streamStatus("503")).contains(503);
        assertThat(StatusPolicy.defaults().streamStatus("200")).as("a success is no error").isEmpty();
        assertThat(StatusPolicy.defaults().streamStatus("too_many_requests")).isEmpty();
        StatusPolicy clientSideOnly = StatusPolicy.defaults().withStreamCode("Too_Many_Requests", 429)
                .withStreamCode("internal_server_error", 500).withStreamCodeRange(400, 499);
        assertThat(clientSideOnly.streamStatus(" too_many_requests ")).contains(429);
        assertThat(clientSideOnly.streamStatus("429")).contains(429);
        assertThat(clientSideOnly.streamStatus("internal_server_error")).isEmpty();
        assertThat(clientSideOnly.streamStatus("503")).isEmpty();
        assertThat(clientSideOnly.streamStatus(null)).isEmpty();
    }
}
