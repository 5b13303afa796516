package io.inferenceworker.provider.guard;

import static io.inferenceworker.provider.ChatFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.inferenceworker.provider.ChatCall;
import io.inferenceworker.provider.ChatReply;
import io.inferenceworker.provider.ProviderEvents;
import io.inferenceworker.provider.ProviderException;
import io.inferenceworker.testkit.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The circuit breaker's verdicts and its open duration on the instance's clock: a clock moved by hand, so that the
 * open state ends exactly when that clock says and never by the wall clock.
 */
class CircuitGateTest {
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final List<String> states = new CopyOnWriteArrayList<>();
    private final ProviderEvents events = new ProviderEvents() {
        @Override
        public void onCircuitState(String provider, String state) {
            states.add(state);
        }
    };

    /** Opens after 2 recorded calls at 50 % failures, stays open 30 s, one trial call. */
    private CircuitGate gate() {
        return new CircuitGate("cb", new Protections.Breaker(true, 50, 2, 2, 1, Duration.ofSeconds(30)), clock,
                events);
    }

    private ChatCall call() {
        return ChatCall.of("job", request("m", "hi").build(), 1, clock.instant().plusSeconds(60));
    }

    private static ProviderException.Retryable status(int status) {
        return ProviderException.of(new ProviderException.Context("job", "cb", 1), "http_" + status, "HTTP " + status)
                .withHttpStatus(status).retryable();
    }

    @Test
    void theOpenDurationRunsOnTheInstancesClockNotTheWallClock() {
        CircuitGate gate = gate();
        assertThat(gate.enter(call())).isEmpty();
        assertThat(gate.onFailure(call(), status(503), 1_000)).isInstanceOf(Guarded.Failed.class);
        assertThat(gate.enter(call())).isEmpty();
        Guarded<ChatReply> opening = gate.onFailure(call(), status(503), 1_000);
        assertThat(opening).isInstanceOfSatisfying(Guarded.Deferred.class, d -> {
            assertThat(d.code()).isEqualTo(Guarded.CIRCUIT_OPEN);
            assertThat(d.retryAfter()).isEqualTo(Duration.ofSeconds(30));
            assertThat(d.providerFailure()).isPresent();
        });
        assertThat(states).containsExactly("closed", "open");

        // 29 s later on the instance's clock (no time on the wall clock): still open, one second to go.
        clock.advance(Duration.ofSeconds(29));
        Optional<Guarded.Deferred<ChatReply>> refused = gate.enter(call());
        assertThat(refused).hasValueSatisfying(d -> assertThat(d.retryAfter()).isEqualTo(Duration.ofSeconds(1)));

        // At 30 s the trial call goes through, and a success closes the breaker.
        clock.advance(Duration.ofSeconds(1));
        assertThat(gate.enter(call())).isEmpty();
        assertThat(gate.isTrial()).isTrue();
        assertThat(gate.enter(call())).as("one trial call at a time").isPresent();
        gate.onSuccess(1_000);
        assertThat(states).containsExactly("closed", "open", "half_open", "closed");
    }

    @Test
    void aFailedTrialReopensForAnotherFullOpenDurationFromThen() {
        CircuitGate gate = gate();
        for (int i = 0; i < 2; i++) {
            gate.enter(call());
            gate.onFailure(call(), status(500), 1_000);
        }
        clock.advance(Duration.ofSeconds(31));
        assertThat(gate.enter(call())).isEmpty();
        assertThat(gate.onFailure(call(), status(502), 1_000)).isInstanceOf(Guarded.Deferred.class);
        assertThat(states).containsExactly("closed", "open", "half_open", "open");

        clock.advance(Duration.ofSeconds(29));
        assertThat(gate.enter(call())).isPresent();
        clock.advance(Duration.ofSeconds(1));
        assertThat(gate.enter(call())).isEmpty();
    }

    @Test
    void onlyOutagesAreRecordedAndAnInterruptIsOneOnlyAtTheAttemptDeadline() {
        CircuitGate gate = gate();
        ProviderException.Context ctx = new ProviderException.Context("job", "cb", 1);
        List<ProviderException> notOutages = List.of(status(429), status(409),
                ProviderException.of(ctx, "server_error", "503, said to be no outage").withHttpStatus(503)
                        .withOutage(false).retryable(),
                ProviderException.of(ctx, "interrupted", "shutdown").retryable(),
                ProviderException.of(ctx, "bad_request", "400").withHttpStatus(400).terminal());
        for (ProviderException failure : notOutages) {
            for (int i = 0; i < 3; i++) {
                assertThat(gate.enter(call())).isEmpty();
                assertThat(gate.onFailure(call(), failure, 1_000)).isInstanceOf(Guarded.Failed.class);
            }
        }
        assertThat(states).containsExactly("closed");

        // Interrupted within the tolerance of the call's deadline: the attempt timed out, an outage.
        CircuitGate timed = gate();
        ChatCall due = ChatCall.of("job", request("m", "hi").build(), 1, clock.instant().plusMillis(100));
        ProviderException interrupted = ProviderException.of(ctx, "interrupted", "timed out").retryable();
        assertThat(timed.enter(due)).isEmpty();
        assertThat(timed.onFailure(due, interrupted, 1_000)).isInstanceOf(Guarded.Failed.class);
        assertThat(timed.enter(due)).isEmpty();
        assertThat(timed.onFailure(due, interrupted, 1_000)).isInstanceOf(Guarded.Deferred.class);
        assertThat(states).containsExactly("closed", "closed", "open");
    }
}
