package io.inferenceworker.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inferenceworker.provider.ProviderException;
import io.inferenceworker.provider.RetryConfig;
import io.inferenceworker.provider.guard.Guarded;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouteTest {
    private static final ProviderException.Context AT = new ProviderException.Context("job-1", "a", 1);
    private static final Route ROUTE = Route.of("chat", List.of(new Hop("a", "m1"), new Hop("b", null)));

    private static ProviderException retryable(String code) {
        return ProviderException.of(AT, code, "why").retryable();
    }

    private static ProviderException terminal(String code) {
        return ProviderException.of(AT, code, "why").terminal();
    }

    @Test
    void anOpenBreakerIsLeftAtOnceButARateLimitOnlyWhenItsWaitIsLongerThanMaxWait() {
        assertThat(ROUTE.leavesRatherThanWait(retryable(Guarded.CIRCUIT_OPEN), Duration.ZERO)).isTrue();
        assertThat(ROUTE.leavesRatherThanWait(retryable(Guarded.RATE_LIMITED_LOCALLY), Duration.ofSeconds(10)))
                .isFalse();
        assertThat(ROUTE.leavesRatherThanWait(retryable(Guarded.RATE_LIMITED_LOCALLY), Duration.ofSeconds(11)))
                .isTrue();
        assertThat(ROUTE.leavesRatherThanWait(retryable("rate_limited"), Duration.ofSeconds(30))).isTrue();
        assertThat(ROUTE.withMaxWait(Duration.ofMinutes(1))
                .leavesRatherThanWait(retryable("rate_limited"), Duration.ofSeconds(30))).isFalse();
        // An ordinary retry's backoff is waited out: the hop has attempts left.
        assertThat(ROUTE.leavesRatherThanWait(retryable("server_error"), Duration.ofMinutes(5))).isFalse();
    }

    @Test
    void movesOnAfterTheConfiguredConditionsOnly() {
        assertThat(ROUTE.movesOnAfter(retryable(Guarded.CIRCUIT_OPEN))).isTrue();
        assertThat(ROUTE.movesOnAfter(retryable(Guarded.BACKLOG_FULL))).isTrue();
        assertThat(ROUTE.movesOnAfter(terminal("insufficient_credit"))).isTrue();
        assertThat(ROUTE.movesOnAfter(retryable("server_error"))).isTrue();
        assertThat(ROUTE.movesOnAfter(terminal("authentication_failed"))).isFalse();
        assertThat(ROUTE.movesOnAfter(terminal("invalid_request"))).isFalse();
        assertThat(ROUTE.movesOnInvalid()).isFalse();

        Route creditOnly = ROUTE.withFallBackOn(EnumSet.of(Trigger.INSUFFICIENT_CREDIT, Trigger.INVALID));
        assertThat(creditOnly.movesOnAfter(terminal("insufficient_credit"))).isTrue();
        assertThat(creditOnly.movesOnAfter(retryable(Guarded.CIRCUIT_OPEN))).isFalse();
        assertThat(creditOnly.leavesRatherThanWait(retryable(Guarded.CIRCUIT_OPEN), Duration.ZERO)).isFalse();
        assertThat(creditOnly.movesOnAfter(retryable("server_error"))).isFalse();
        assertThat(creditOnly.movesOnInvalid()).isTrue();
    }

    @Test
    void attemptsPerHopCapsTheInstancesRetryPolicy() {
        assertThat(ROUTE.retryOn(RetryConfig.DEFAULTS)).isEqualTo(RetryConfig.DEFAULTS);
        assertThat(ROUTE.withAttemptsPerHop(2).retryOn(RetryConfig.DEFAULTS).maxAttempts()).isEqualTo(2);
        assertThat(ROUTE.withAttemptsPerHop(9).retryOn(RetryConfig.DEFAULTS).maxAttempts())
                .isEqualTo(RetryConfig.DEFAULT_MAX_ATTEMPTS);
    }

    @Test
    void theDefaultsFallBackOnEverythingButInvalid() {
        assertThat(Route.DEFAULT_FALL_BACK_ON).isEqualTo(Set.of(Trigger.CIRCUIT_OPEN, Trigger.RATE_LIMITED,
                Trigger.RETRIES_EXHAUSTED, Trigger.INSUFFICIENT_CREDIT));
        assertThatThrownBy(() -> Route.of("empty", List.of())).hasMessageContaining("no hops");
    }
}
