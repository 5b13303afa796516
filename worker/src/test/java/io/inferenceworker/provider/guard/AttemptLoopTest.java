package io.inferenceworker.provider.guard;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferenceworker.provider.ProviderException;
import io.inferenceworker.provider.RetryConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * {@link AttemptLoop} over scripted tries: which outcomes are attempts, what counts against {@code max-attempts},
 * timeouts, the window, the deadline and interrupts. (The waiting room's part is in {@code WaitingRoomGuardTest}.)
 */
class AttemptLoopTest {
    private static final RetryConfig RETRY = RetryConfig.DEFAULTS.withMaxAttempts(3)
            .withBackoff(Duration.ofMillis(1), Duration.ofMillis(5)).withWindow(Duration.ofSeconds(10))
            .withAttemptTimeout(Duration.ofSeconds(2));

    private final AttemptLoop loop = new AttemptLoop(Clock.systemUTC());
    private final List<Integer> numbers = new CopyOnWriteArrayList<>();
    private final List<String> retried = new CopyOnWriteArrayList<>();

    private AttemptLoop.Plan plan(RetryConfig retry) {
        return AttemptLoop.Plan.of("job", "p", retry).withOnRetry(f -> retried.add(f.code()));
    }

    /** Plays {@code script} in order, then repeats its last step; records the attempt numbers it is given. */
    @SafeVarargs
    private AttemptLoop.Attempt<String> script(IntFunction<Guarded<String>>... steps) {
        Deque<IntFunction<Guarded<String>>> left = new ArrayDeque<>(List.of(steps));
        return (number, deadline) -> {
            numbers.add(number);
            IntFunction<Guarded<String>> step = left.size() > 1 ? left.poll() : left.peek();
            return step.apply(number);
        };
    }

    private static ProviderException.Context ctx(int n) {
        return new ProviderException.Context("job", "p", n);
    }

    private static Guarded<String> failing(int n) {
        return Guarded.failed(ProviderException.of(ctx(n), "server_error", "HTTP 503").withHttpStatus(503)
                .withRetryAfter(Duration.ofMillis(1)).retryable());
    }

    private static Guarded<String> refused(int n) {
        return new Guarded.Deferred<>(Guarded.RATE_LIMITED_LOCALLY, "no permit", Duration.ofMillis(1), ctx(n),
                Optional.empty());
    }

    private static Guarded<String> breakerOpened(int n, Duration retryAfter) {
        ProviderException failure = ProviderException.of(ctx(n), "server_error", "HTTP 503").withHttpStatus(503)
                .retryable();
        return new Guarded.Deferred<>(Guarded.CIRCUIT_OPEN, "breaker open", retryAfter, ctx(n), Optional.of(failure));
    }

    @Test
    void deferralsAreNotCountedAgainstMaxAttemptsAndRefusalsUseNoAttemptNumber() {
        AttemptLoop.Ending<String> ending = loop.run(plan(RETRY), script(AttemptLoopTest::refused,
                AttemptLoopTest::refused, AttemptLoopTest::failing, AttemptLoopTest::refused,
                n -> breakerOpened(n, Duration.ofMillis(1)), AttemptLoopTest::failing, AttemptLoopTest::refused,
                AttemptLoopTest::refused, n -> new Guarded.Answered<>("hello")));

        assertThat(ending).isInstanceOfSatisfying(AttemptLoop.Ending.Answered.class, a -> {
            assertThat(a.value()).isEqualTo("hello");
            assertThat(a.attempts()).as("calls made: two failures, one that opened the breaker, the answer")
                    .isEqualTo(4);
        });
        assertThat(numbers).containsExactly(1, 1, 1, 2, 2, 3, 4, 4, 4);
        assertThat(retried).containsExactly("server_error", "server_error");
    }

    @Test
    void retryableFailuresEndAfterMaxAttemptsAndTerminalOnesAtOnce() {
        AttemptLoop.Ending<String> exhausted = loop.run(plan(RETRY), script(AttemptLoopTest::failing));
        assertThat(exhausted).isInstanceOfSatisfying(AttemptLoop.Ending.Failed.class, f -> {
            assertThat(f.attempts()).isEqualTo(3);
            assertThat(f.failure().code()).isEqualTo("server_error");
        });
        assertThat(retried).hasSize(2);

        AttemptLoop.Ending<String> terminal = loop.run(plan(RETRY), script(n -> Guarded.failed(
                ProviderException.of(ctx(n), "bad_request", "HTTP 400").withHttpStatus(400).terminal())));
        assertThat(terminal).isInstanceOfSatisfying(AttemptLoop.Ending.Failed.class,
                f -> assertThat(f.attempts()).isEqualTo(1));
        assertThat(retried).hasSize(2);
    }

    @Test
    void aPlanMayLeaveRatherThanWaitForADeferralOrARetry() {
        List<Duration> asked = new java.util.ArrayList<>();
        AttemptLoop.Plan leavesOpenBreakers = plan(RETRY).withLeave((failure, wait) -> {
            asked.add(wait);
            return failure.code().equals(Guarded.CIRCUIT_OPEN);
        });
        AttemptLoop.Ending<String> ending = loop.run(leavesOpenBreakers, script(AttemptLoopTest::failing,
                n -> breakerOpened(n, Duration.ofSeconds(30)), n -> new Guarded.Answered<>("never asked")));

        assertThat(ending).isInstanceOfSatisfying(AttemptLoop.Ending.Failed.class, f -> {
            assertThat(f.failure().code()).isEqualTo(Guarded.CIRCUIT_OPEN);
            assertThat(f.attempts()).as("the failure, then the call that opened the breaker").isEqualTo(2);
        });
        assertThat(numbers).containsExactly(1, 2);
        assertThat(asked).as("asked before the backoff, then before the breaker's wait").hasSize(2);
        assertThat(asked.get(1)).isEqualTo(Duration.ofSeconds(30));
        assertThat(retried).containsExactly("server_error");
    }

    @Test
    void anAttemptThatTimesOutIsInterruptedAndRetriedAsTimeout() {
        RetryConfig quick = RETRY.withAttemptTimeout(Duration.ofMillis(200));
        AttemptLoop.Ending<String> ending = loop.run(plan(quick), script(n -> {
            try {
                Thread.sleep(Duration.ofSeconds(10));
                return new Guarded.Answered<>("too late");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Guarded.failed(ProviderException.of(ctx(n), "interrupted", "interrupted").retryable());
            }
        }, n -> new Guarded.Answered<>("in time")));

        assertThat(ending).isInstanceOfSatisfying(AttemptLoop.Ending.Answered.class, a -> {
            assertThat(a.value()).isEqualTo("in time");
            assertThat(a.attempts()).isEqualTo(2);
            assertThat(a.elapsed()).isLessThan(Duration.ofSeconds(5));
        });
        assertThat(retried).containsExactly("timeout");
        assertThat(Thread.currentThread().isInterrupted()).as("the timeout's interrupt is not left behind").isFalse();
    }

    @Test
    void aDeferralStillAskedForWhenTheWindowEndsEndsTheJobWithItsFailure() {
        RetryConfig shortWindow = RETRY.withWindow(Duration.ofMillis(300));
        Instant started = Instant.now();
        AttemptLoop.Ending<String> ending = loop.run(plan(shortWindow),
                script(n -> breakerOpened(n, Duration.ofMillis(50))));

        assertThat(ending).isInstanceOfSatisfying(AttemptLoop.Ending.Failed.class, f -> {
            assertThat(f.failure().code()).isEqualTo(Guarded.CIRCUIT_OPEN);
            assertThat(f.failure().isRetryable()).isTrue();
            assertThat(f.failure().httpStatus()).contains(503);
            assertThat(f.attempts()).isEqualTo(numbers.size()).isGreaterThan(RETRY.maxAttempts());
        });
        assertThat(Duration.between(started, Instant.now())).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(retried).isEmpty();
    }

    @Test
    void aJobWhoseDeadlinePassesBeforeARetryExpires() {
        Instant deadline = Instant.now().plusMillis(50);
        AttemptLoop.Ending<String> ending = loop.run(plan(RETRY).withDeadline(Optional.of(deadline)), script(n -> {
            try {
                Thread.sleep(Duration.ofMillis(100));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            return failing(n);
        }));

        assertThat(ending).isInstanceOfSatisfying(AttemptLoop.Ending.Expired.class, e -> {
            assertThat(e.attempts()).isEqualTo(1);
            assertThat(e.reason()).contains("deadline " + deadline, "after 1 attempt(s)");
        });
    }

    @Test
    void anInterruptOtherThanTheTimeoutsEndsTheLoop() {
        AttemptLoop.Ending<String> ending = loop.run(plan(RETRY), script(n -> {
            Thread.currentThread().interrupt(); // as a shutdown would, during the call
            return failing(n);
        }));
        try {
            assertThat(ending).isInstanceOfSatisfying(AttemptLoop.Ending.Interrupted.class,
                    i -> assertThat(i.attempts()).isEqualTo(1));
            assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept for the caller").isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
