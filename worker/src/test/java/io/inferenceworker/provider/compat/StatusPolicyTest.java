package io.inferenceworker.provider.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatusPolicyTest {

    @ParameterizedTest(name = "{0} -> retryable={1} {2}")
    @CsvSource({
            "408, true, timeout",
            "409, true, conflict",
            "425, true, too_early",
            "429, true, rate_limited",
            "500, true, server_error",
            "502, true, server_error",
            "503, true, server_error",
            "504, true, server_error",
            "507, true, server_error",
            "400, false, bad_request",
            "401, false, unauthorized",
            "403, false, forbidden",
            "404, false, not_found",
            "413, false, payload_too_large",
            "422, false, unprocessable",
            "402, false, client_error",
            "451, false, client_error",
            "202, false, unexpected_status",
            "302, false, unexpected_status"})
    void defaults(int status, boolean retryable, String code) {
        StatusPolicy policy = StatusPolicy.defaults();
        assertThat(policy.isSuccess(status)).isFalse();
        assertThat(policy.classify(status)).isEqualTo(new StatusPolicy.Rule(retryable, code));
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
        assertThat(nscale.classify(503)).isEqualTo(StatusPolicy.Rule.retry("server_error"));
        assertThat(StatusPolicy.defaults().classify(429).retryable()).as("defaults unchanged").isTrue();
    }

    @Test
    void bodyRulesMatchTypeOrCode() {
        StatusPolicy policy = StatusPolicy.defaults()
                .withBodyRule(429, "insufficient_quota", StatusPolicy.Rule.fail("insufficient_credit"));
        assertThat(policy.classify(429, Optional.of(new ProviderError("no money", "insufficient_quota", null, null))))
                .isEqualTo(StatusPolicy.Rule.fail("insufficient_credit"));
        assertThat(policy.classify(429, Optional.of(new ProviderError("slow", "requests", "INSUFFICIENT_QUOTA", null))))
                .isEqualTo(StatusPolicy.Rule.fail("insufficient_credit"));
        assertThat(policy.classify(429, Optional.of(new ProviderError("slow", "requests", "rate_limit_exceeded",
                null)))).isEqualTo(StatusPolicy.Rule.retry("rate_limited"));
        assertThat(policy.classify(429)).isEqualTo(StatusPolicy.Rule.retry("rate_limited"));
    }
}
