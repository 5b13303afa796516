package io.inferenceworker.provider.guard;

import static io.inferenceworker.provider.ChatFixtures.call;
import static io.inferenceworker.provider.ChatFixtures.request;
import static io.inferenceworker.provider.ChatFixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.inferenceworker.config.WorkerSettings;
import io.inferenceworker.job.JobEvents;
import io.inferenceworker.provider.RetryConfig;
import io.inferenceworker.provider.ChatCall;
import io.inferenceworker.provider.ChatProvider;
import io.inferenceworker.provider.ChatReply;
import io.inferenceworker.provider.ProviderException;
import io.inferenceworker.provider.SimulatorWorld;
import io.inferenceworker.schemas.CompletionRequest;
import io.inferenceworker.provider.openai.OpenAiProviderFactory;
import io.inferenceworker.testkit.sim.Behaviour;
import io.inferenceworker.testkit.sim.Dialect;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The waiting room of a {@link ProviderGuard} (issue 13: one instance's waiting jobs hold at most a share of the
 * in-flight limit), around the real OpenAI-compatible adapter and the real provider simulator.
 */
class WaitingRoomGuardTest {
    private static final AtomicInteger SEQ = new AtomicInteger();

    @RegisterExtension
    static final SimulatorWorld WORLD = SimulatorWorld.start();

    @BeforeAll
    static void warmUp() {
        // Warm the HTTP path, so that calls are quick compared with the rate-limit periods below.
        ProviderGuard warm = guarded("warm-up", defaults(), WaitingRoom.unbounded("warm-up"), JobEvents.NONE);
        for (int i = 0; i < 20; i++) {
            ProviderGuardTest.answer(warm, callOf(WORLD.model("warm-up")));
        }
    }

    @Test
    void capacityIsTheCeilingOfTheShareOfTheInFlightLimitAndTheShareIsValidated() {
        assertThat(WaitingRoom.capacity(0.5, 64)).isEqualTo(32);
        assertThat(WaitingRoom.capacity(0.5, 1024)).isEqualTo(512);
        assertThat(WaitingRoom.capacity(0.3, 10)).isEqualTo(3); // not 4, as 0.3 * 10 in binary floating point
        assertThat(WaitingRoom.capacity(0.1, 1024)).isEqualTo(103);
        assertThat(WaitingRoom.capacity(0.001, 10)).isEqualTo(1);
        assertThat(WaitingRoom.capacity(1, 7)).isEqualTo(7);
        for (double bad : new double[] {0, -0.1, 1.01, Double.NaN}) {
            assertThatThrownBy(() -> WaitingRoom.capacity(bad, 64)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("worker.provider-waiting-share");
        }
        WorkerSettings worker = new WorkerSettings();
        assertThat(worker.getProviderWaitingShare()).isEqualTo(WorkerSettings.DEFAULT_PROVIDER_WAITING_SHARE)
                .isEqualTo(0.5);
        assertThatThrownBy(() -> worker.setProviderWaitingShare(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> worker.setProviderWaitingShare(1.5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void whileTheBreakerIsOpenAtMostCapacityJobsWaitAndTheNextOneFailsAtOnceNamingTheInstanceAndTheShare() {
        RoomEvents events = new RoomEvents();
        // Capacity ceil(0.5 * 4) = 2; a breaker that opens after 2 failures and stays open for a minute.
        String name = "room" + SEQ.incrementAndGet();
        ProviderGuard provider = guarded(name, defaults().withBreaker(
                new Protections.Breaker(true, 50, 2, 2, 1, Duration.ofMinutes(1))), WaitingRoom.of(name, 0.5, 4),
                events);
        String model = WORLD.model("down", Behaviour.status(503));
        assertThat(events.capacity.get(name)).isEqualTo(2);

        // The first failure is a plain retryable failure; the second opens the breaker and becomes a deferral.
        ChatCall first = callOf(model);
        assertThat(ProviderGuardTest.failure(provider, first).isRetryable()).isTrue();
        ChatCall second = callOf(model);
        assertThat(refusal(provider, second).code()).isEqualTo(Guarded.CIRCUIT_OPEN);
        assertThat(provider.waitingRoom().waiting()).isEqualTo(1);
        // A refused job waits too; the room is now full.
        ChatCall third = callOf(model);
        assertThat(refusal(provider, third).providerFailure()).isEmpty();
        assertThat(events.waiting(name)).isEqualTo(2);

        // A fourth job would have to wait: it fails at once, terminally, without reaching the provider.
        ChatCall fourth = callOf(model);
        Guarded<ChatReply> refused = provider.call(fourth);
        assertThat(refused).isInstanceOf(Guarded.Failed.class);
        Guarded.Failed<ChatReply> fullTry = (Guarded.Failed<ChatReply>) refused;
        ProviderException full = fullTry.failure();
        assertThat(full).isInstanceOf(ProviderException.Terminal.class);
        assertThat(full.code()).isEqualTo(Guarded.BACKLOG_FULL).isEqualTo("provider_backlog_full");
        assertThat(full.getMessage()).contains("provider instance " + name, "circuit breaker is open",
                "2 jobs waiting", "worker.provider-waiting-share 0.5 of worker.in-flight-limit 4",
                "dead-letter topic");
        assertThat(fullTry.providerFailure()).as("refused before any call: not an attempt").isEmpty();
        assertThat(WORLD.simulator().requestsForModel(model)).hasSize(2);

        // Jobs already waiting keep their places when refused again.
        assertThat(refusal(provider, second).code()).isEqualTo(Guarded.CIRCUIT_OPEN);
        assertThat(refusal(provider, third).code()).isEqualTo(Guarded.CIRCUIT_OPEN);
        assertThat(provider.waitingRoom().waiting()).isEqualTo(2);

        // A job that ends frees its place, and the next job that has to wait gets it.
        provider.forget(second.jobId());
        provider.forget(second.jobId()); // idempotent
        assertThat(provider.waitingRoom().waiting()).isEqualTo(1);
        assertThat(refusal(provider, fourth).code()).isEqualTo(Guarded.CIRCUIT_OPEN);
        assertThat(provider.waitingRoom().waiting()).isEqualTo(2);
        assertThat(provider.waitingRoom().peak()).isEqualTo(2);
        provider.forget(third.jobId());
        provider.forget(fourth.jobId());
        assertThat(events.waiting(name)).isZero();
    }

    @Test
    void aJobOnABreakerTrialCallKeepsItsPlaceSoANewcomerCannotTakeIt() throws Exception {
        String name = "room" + SEQ.incrementAndGet();
        // Capacity 1; the first outage opens the breaker, which allows one trial call after 300 ms.
        ProviderGuard provider = guarded(name, defaults().withBreaker(
                new Protections.Breaker(true, 50, 1, 1, 1, Duration.ofMillis(300))), WaitingRoom.of(name, 0.5, 2),
                JobEvents.NONE);
        // The first call fails at once; the second (the trial) fails a second later.
        String model = WORLD.model("trial", Behaviour.status(503),
                Behaviour.status(503).withLatency(Duration.ofSeconds(1)));

        ChatCall waiting = callOf(model);
        Guarded.Deferred<ChatReply> opened = refusal(provider, waiting);
        assertThat(opened.code()).isEqualTo(Guarded.CIRCUIT_OPEN);
        assertThat(provider.waitingRoom().holds(waiting.jobId())).isTrue();
        Instant trialDue = Instant.now().plus(opened.retryAfter());

        // After the open duration the waiting job makes the trial call; meanwhile a newcomer is refused by the
        // half-open breaker and finds the room full: the trial job kept its place.
        await().atMost(Duration.ofSeconds(2)).until(() -> !Instant.now().isBefore(trialDue));
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Guarded<ChatReply>> trial = threads.submit(() -> provider.call(waiting));
            await().atMost(Duration.ofSeconds(5)).until(() -> WORLD.simulator().requestsForModel(model).size() == 2);
            ProviderException newcomer = ProviderGuardTest.failure(provider, callOf(model));
            assertThat(newcomer.code()).isEqualTo(Guarded.BACKLOG_FULL);

            // The trial fails and re-opens the breaker: the job waits again, in its own place.
            Guarded<ChatReply> again = trial.get(10, TimeUnit.SECONDS);
            assertThat(again).isInstanceOfSatisfying(Guarded.Deferred.class,
                    d -> assertThat(d.providerFailure()).isPresent());
            assertThat(provider.waitingRoom().holds(waiting.jobId())).isTrue();
            assertThat(provider.waitingRoom().waiting()).isEqualTo(1);
        }
        provider.forget(waiting.jobId());
        assertThat(provider.waitingRoom().waiting()).isZero();
    }

    @Test
    void aJobLetThroughToTheProviderLeavesTheRoom() {
        String name = "room" + SEQ.incrementAndGet();
        // One request a second; capacity 1.
        ProviderGuard provider = guarded(name, defaults().withRates(new Protections.Rates(60, 0, 16)),
                WaitingRoom.of(name, 0.5, 2), JobEvents.NONE);
        String model = WORLD.model("paced");

        // Calls run until one's permit is due beyond the inline wait (the second, or the third when the second's
        // period began within 500 ms): that one is sent back to wait.
        ChatCall waiting = null;
        for (int i = 0; i < 5 && waiting == null; i++) {
            ChatCall c = callOf(model);
            Guarded<ChatReply> outcome = provider.call(c);
            assertThat(outcome).isNotInstanceOf(Guarded.Failed.class);
            if (outcome instanceof Guarded.Deferred<ChatReply> d) {
                assertThat(d.code()).isEqualTo(Guarded.RATE_LIMITED_LOCALLY);
                waiting = c;
            }
        }
        assertThat(waiting).as("a call sent back to wait").isNotNull();
        ChatCall deferred = waiting;
        assertThat(provider.waitingRoom().holds(deferred.jobId())).isTrue();

        // The room is full: a third job that would wait for the rate limit fails at once, and reserves nothing.
        ProviderException full = ProviderGuardTest.failure(provider, callOf(model));
        assertThat(full.code()).isEqualTo(Guarded.BACKLOG_FULL);
        assertThat(full.getMessage()).contains("rate-limited locally", "1 jobs waiting");

        // The waiting job comes back when its permit is due, is let through, and leaves the room.
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> provider.call(deferred) instanceof Guarded.Answered);
        assertThat(provider.waitingRoom().waiting()).isZero();
        // The failed job reserved no permit: the next one is due one period after the waiting job's, not two.
        Guarded.Deferred<ChatReply> next = refusal(provider, callOf(model));
        assertThat(next.retryAfter()).isLessThan(Duration.ofMillis(1500));
    }

    @Test
    void aJobThatWouldWaitToRetryWhileTheRoomIsFullFailsAtOnceKeepingItsAttemptsStatus() throws Exception {
        String name = "room" + SEQ.incrementAndGet();
        // Capacity 1; the provider answers 429 with a Retry-After of 30 s, so a job backing off waits that long.
        ProviderGuard provider = guarded(name, defaults(), WaitingRoom.of(name, 0.5, 2), JobEvents.NONE);
        String model = WORLD.model("limited", Behaviour.rateLimited(Duration.ofSeconds(30)));
        AttemptLoop loop = new AttemptLoop(Clock.systemUTC());
        RetryConfig retry = RetryConfig.DEFAULTS.withAttemptTimeout(Duration.ofSeconds(5));
        CompletionRequest request = request(model, "hello").build();

        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<AttemptLoop.Ending<ChatReply>> first = threads.submit(() -> loop.run(
                    AttemptLoop.Plan.of("first", name, retry).withGuard(provider),
                    (n, deadline) -> provider.call(ChatCall.of("first", request, n, deadline))));
            await().atMost(Duration.ofSeconds(5)).until(() -> provider.waitingRoom().holds("first"));

            AttemptLoop.Ending<ChatReply> second = loop.run(AttemptLoop.Plan.of("second", name, retry)
                    .withGuard(provider), (n, deadline) -> provider.call(ChatCall.of("second", request, n, deadline)));
            assertThat(second).isInstanceOfSatisfying(AttemptLoop.Ending.Failed.class, f -> {
                assertThat(f.failure().code()).isEqualTo(Guarded.BACKLOG_FULL);
                assertThat(f.failure().isRetryable()).isFalse();
                assertThat(f.failure().httpStatus()).contains(429);
                assertThat(f.failure().getMessage()).contains("provider instance " + name + " is failing",
                        "HTTP 429", "waiting to retry", "1 jobs waiting");
                assertThat(f.attempts()).isEqualTo(1);
            });
            assertThat(provider.waitingRoom().waiting()).isEqualTo(1);

            // The first job ends (interrupted, as at shutdown): its place is freed.
            first.cancel(true);
            await().atMost(Duration.ofSeconds(5)).until(() -> provider.waitingRoom().waiting() == 0);
        }
        assertThat(WORLD.simulator().requestsForModel(model)).hasSize(2);
    }

    private static Protections defaults() {
        return Protections.of(settings("x", "openai", "http://127.0.0.1:1"),
                RetryConfig.DEFAULTS.withAttemptTimeout(Duration.ofSeconds(5)));
    }

    private static ProviderGuard guarded(String name, Protections protections, WaitingRoom room,
                                         JobEvents events) {
        ChatProvider provider = WORLD.create(OpenAiProviderFactory::new,
                WORLD.settings(name, "openai", Dialect.OPENAI));
        return new ProviderGuard(provider, protections, room, Clock.systemUTC(), events);
    }

    private static ChatCall callOf(String model) {
        return call(request(model, "hello").build(), Duration.ofSeconds(10));
    }

    private static Guarded.Deferred<ChatReply> refusal(ProviderGuard provider, ChatCall call) {
        return ProviderGuardTest.refusal(provider, call);
    }

    /** Records the waiting rooms reported. */
    private static final class RoomEvents implements JobEvents {
        final Map<String, Integer> capacity = new ConcurrentHashMap<>();
        final Map<String, IntSupplier> waiting = new ConcurrentHashMap<>();

        @Override
        public void onWaitingRoom(String provider, int capacity, IntSupplier waiting) {
            this.capacity.put(provider, capacity);
            this.waiting.put(provider, waiting);
        }

        int waiting(String provider) {
            return waiting.get(provider).getAsInt();
        }
    }
}
