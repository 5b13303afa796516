package io.inferenceworker.provider.guard;

import static io.inferenceworker.provider.ChatFixtures.call;
import static io.inferenceworker.provider.ChatFixtures.request;
import static io.inferenceworker.provider.ChatFixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.inferenceworker.job.JobEvents;
import io.inferenceworker.provider.RetryConfig;
import io.inferenceworker.provider.ChatCall;
import io.inferenceworker.provider.ChatProvider;
import io.inferenceworker.provider.ChatReply;
import io.inferenceworker.provider.InvalidRequestException;
import io.inferenceworker.provider.ProviderException;
import io.inferenceworker.provider.SimulatorWorld;
import io.inferenceworker.provider.openai.OpenAiProviderFactory;
import io.inferenceworker.schemas.CompletionRequest;
import io.inferenceworker.testkit.sim.Behaviour;
import io.inferenceworker.testkit.sim.Dialect;
import io.inferenceworker.testkit.sim.RecordedRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ProviderGuard} around the real OpenAI-compatible adapter, against the real provider simulator: the
 * concurrency cap, request spacing, token estimates and their reconciliation, and the circuit breaker, as
 * {@link Guarded} outcomes.
 */
class ProviderGuardTest {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    private static final AtomicInteger SEQ = new AtomicInteger();

    @RegisterExtension
    static final SimulatorWorld WORLD = SimulatorWorld.start();

    @BeforeAll
    static void start() {
        // Warm the HTTP path, so that the first measured calls do not arrive late because of class loading.
        ChatProvider warmUp = WORLD.create(OpenAiProviderFactory::new,
                WORLD.settings("warm-up", "openai", Dialect.OPENAI));
        for (int i = 0; i < 20; i++) {
            warmUp.complete(callOf(request("warm-up", "hello").build()));
        }
    }

    /** The defaults with a 5 s attempt timeout: permits are waited for inline up to 500 ms. */
    private static Protections defaults() {
        return Protections.of(settings("x", "openai", "http://127.0.0.1:1"),
                RetryConfig.DEFAULTS.withAttemptTimeout(Duration.ofSeconds(5)));
    }

    private static ProviderGuard guarded(Protections protections, JobEvents events) {
        String name = "g" + SEQ.incrementAndGet();
        ChatProvider provider = WORLD.create(OpenAiProviderFactory::new,
                WORLD.settings(name, "openai", Dialect.OPENAI));
        return new ProviderGuard(provider, protections, Clock.systemUTC(), events);
    }

    private static String model(String scenario, Behaviour... behaviours) {
        return WORLD.model(scenario, behaviours);
    }

    private static ChatCall callOf(CompletionRequest request) {
        return call(request, CALL_TIMEOUT);
    }

    /** The deferral {@code call} gets, asserting it is one. */
    static Guarded.Deferred<ChatReply> refusal(ProviderGuard provider, ChatCall call) {
        Guarded<ChatReply> outcome = provider.call(call);
        assertThat(outcome).as("a deferral").isInstanceOf(Guarded.Deferred.class);
        return (Guarded.Deferred<ChatReply>) outcome;
    }

    /** The failure {@code call} gets, asserting the try failed. */
    static ProviderException failure(ProviderGuard provider, ChatCall call) {
        Guarded<ChatReply> outcome = provider.call(call);
        assertThat(outcome).as("a failure").isInstanceOf(Guarded.Failed.class);
        return ((Guarded.Failed<ChatReply>) outcome).failure();
    }

    /** The answer {@code call} gets, asserting there is one. */
    static ChatReply answer(ProviderGuard provider, ChatCall call) {
        Guarded<ChatReply> outcome = provider.call(call);
        assertThat(outcome).as("an answer").isInstanceOf(Guarded.Answered.class);
        return ((Guarded.Answered<ChatReply>) outcome).value();
    }

    @Test
    void capsConcurrentCallsAtMaxConcurrency() throws Exception {
        RecordingEvents events = new RecordingEvents();
        ProviderGuard provider = guarded(defaults().withMaxConcurrency(3), events);
        String model = model("cap", Behaviour.latency(Duration.ofMillis(150)));
        WORLD.simulator().resetPeak();

        List<ChatReply> replies = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<ChatReply>> calls = IntStream.range(0, 12)
                    .mapToObj(i -> threads.submit(() -> completeWaitingForConcurrency(provider,
                            callOf(request(model, "hello " + i).build()))))
                    .toList();
            for (Future<ChatReply> f : calls) {
                replies.add(f.get());
            }
        }

        assertThat(replies).hasSize(12).allSatisfy(r -> assertThat(r.choices()).isNotEmpty());
        assertThat(WORLD.simulator().requestsForModel(model)).hasSize(12);
        assertThat(WORLD.simulator().peakConcurrency()).isEqualTo(3);
        assertThat(events.waits("concurrency")).hasSizeGreaterThanOrEqualTo(12)
                .anySatisfy(w -> assertThat(w).isGreaterThan(Duration.ofMillis(50)));
    }

    /** What a job's retry loop does for concurrency refusals: the wait already happened, so try again at once. */
    private static ChatReply completeWaitingForConcurrency(ProviderGuard provider, ChatCall call) {
        while (true) {
            switch (provider.call(call)) {
                case Guarded.Answered<ChatReply> a -> {
                    return a.value();
                }
                case Guarded.Deferred<ChatReply> d -> assertThat(d.retryAfter()).isEqualTo(Duration.ZERO);
                case Guarded.Failed<ChatReply> f -> throw new AssertionError("only concurrency refusals expected: "
                        + f.failure());
            }
        }
    }

    @Test
    void pacesRequestsAndQueuesLateCallersByReservation() throws Exception {
        RecordingEvents events = new RecordingEvents();
        // 600 a minute: one permit per 100 ms period.
        ProviderGuard provider = guarded(defaults().withRates(new Protections.Rates(600, 0, 16)), events);
        String model = model("rpm");

        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<ChatReply>> calls = IntStream.range(0, 5)
                    .mapToObj(i -> threads.submit(() -> answer(provider, callOf(request(model, "r" + i).build()))))
                    .toList();
            for (Future<ChatReply> f : calls) {
                f.get();
            }
        }
        // One now, then one in each of the next four periods: reserved 100 ms apart, the last over 300 ms ahead.
        List<Duration> waits = events.waits("requests");
        assertThat(waits).hasSize(5);
        assertThat(waits.get(0)).isLessThan(Duration.ofMillis(20));
        assertThat(waits.get(4)).isGreaterThan(Duration.ofMillis(280));
        for (int i = 2; i < 5; i++) {
            assertThat(waits.get(i).minus(waits.get(i - 1))).isBetween(Duration.ofMillis(70), Duration.ofMillis(130));
        }
        List<Instant> received = WORLD.simulator().requestsForModel(model).stream().map(RecordedRequest::receivedAt)
                .sorted().toList();
        assertThat(received).hasSize(5);
        assertThat(Duration.between(received.get(0), received.get(4))).isGreaterThan(Duration.ofMillis(200));

        // 60 a minute, one permit a second. The first call runs at once, the second gets the next period's permit
        // (inline if it is due within 500 ms, else deferred); the third's permit is due more than a second away,
        // beyond what it may wait inline, and a fourth queues a second behind it.
        ProviderGuard slow = guarded(defaults().withRates(new Protections.Rates(60, 0, 16)), events);
        String slowModel = model("rpm-slow");
        answer(slow, callOf(request(slowModel, "first").build()));
        assertThat(slow.call(callOf(request(slowModel, "second").build())))
                .isInstanceOfAny(Guarded.Answered.class, Guarded.Deferred.class);
        ChatCall third = callOf(request(slowModel, "third").build());
        Instant beforeThird = Instant.now();
        Guarded.Deferred<ChatReply> deferred = refusal(slow, third);
        Instant due = Instant.now().plus(deferred.retryAfter());
        Instant beforeFourth = Instant.now();
        Guarded.Deferred<ChatReply> fourth = refusal(slow, callOf(request(slowModel, "fourth").build()));
        Instant afterFourth = Instant.now();

        assertThat(deferred.code()).isEqualTo(Guarded.RATE_LIMITED_LOCALLY);
        assertThat(deferred.providerFailure()).isEmpty();
        assertThat(deferred.retryAfter()).isBetween(Duration.ofMillis(900), Duration.ofSeconds(2));
        // The fourth's permit is due one period after the third's. Each wait is relative to its own call, so on a
        // loaded machine the time between the calls is allowed for: the due instants' gap is bounded by the calls'.
        Duration thirdWait = deferred.retryAfter();
        Duration fourthWait = fourth.retryAfter();
        Duration gapAtMost = Duration.between(beforeThird, afterFourth).plus(fourthWait).minus(thirdWait);
        Duration gapAtLeast = Duration.between(due.minus(thirdWait), beforeFourth).plus(fourthWait).minus(thirdWait);
        assertThat(gapAtMost).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(gapAtLeast).isLessThanOrEqualTo(Duration.ofMillis(1100));
        assertThat(WORLD.simulator().requestsForModel(slowModel)).hasSizeLessThanOrEqualTo(2);
        assertThat(events.deferrals).contains("requests");

        // Back when told, the third caller uses the permit it reserved: no new reservation, no further wait.
        await().atMost(Duration.ofSeconds(3)).until(() -> !Instant.now().isBefore(due));
        int reservations = events.waits("requests").size();
        Instant before = Instant.now();
        answer(slow, third);
        assertThat(Duration.between(before, Instant.now())).isLessThan(Duration.ofMillis(500));
        assertThat(events.waits("requests")).hasSize(reservations);
        RecordedRequest first = WORLD.simulator().requestsForModel(slowModel).get(0);
        RecordedRequest last = WORLD.simulator().requestsForModel(slowModel).getLast();
        assertThat(Duration.between(first.receivedAt(), last.receivedAt())).isGreaterThan(Duration.ofMillis(900));
    }

    @Test
    void estimatesTokensFromPromptBytesMaxTokensAndChoices() {
        RecordingEvents events = new RecordingEvents();
        // 6000 a minute: 100 tokens a second, at most 100 in hand.
        ProviderGuard provider = guarded(defaults().withRates(new Protections.Rates(0, 6000, 16)), events);
        String model = model("tpm-estimate");
        // 400 ASCII bytes = 100 prompt tokens, plus 100 completion tokens for each of 2 choices: 300 tokens, due
        // after two refills (1-2 s) rather than one (200 tokens).
        ChatCall big = callOf(request(model, "x".repeat(400)).setMaxTokens(100).setN(2).build());

        Guarded.Deferred<ChatReply> deferred = refusal(provider, big);
        Instant due = Instant.now().plus(deferred.retryAfter());

        assertThat(deferred.code()).isEqualTo(Guarded.RATE_LIMITED_LOCALLY);
        assertThat(deferred.retryAfter()).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThat(events.deferrals).containsExactly("tokens");
        assertThat(WORLD.simulator().requestsForModel(model)).isEmpty();

        // Back when told, it runs on the tokens it reserved.
        await().atMost(Duration.ofSeconds(3)).until(() -> !Instant.now().isBefore(due));
        assertThat(answer(provider, big).choices()).hasSize(2);
        assertThat(events.waits("tokens")).hasSize(1);
    }

    @Test
    void chargesReportedUsageAboveTheEstimate() {
        RecordingEvents events = new RecordingEvents();
        ProviderGuard provider = guarded(defaults().withRates(new Protections.Rates(0, 6000, 10)), events);
        String words = IntStream.range(0, 300).mapToObj(i -> "w" + i).collect(Collectors.joining(" "));
        String model = model("tpm-reconcile", Behaviour.ok(words));

        // Estimated at 1 + 10 tokens, so it runs at once; the provider reports about 300.
        ChatReply reply = answer(provider, callOf(request(model, "hi").build()));
        assertThat(reply.usage().getCompletionTokens()).isGreaterThanOrEqualTo(300);

        // The excess was charged: another 11-token call must wait for at least two more refills (more than 1 s even
        // if a refill came in between). Without reconciliation it would have run at once.
        Guarded.Deferred<ChatReply> deferred = refusal(provider, callOf(request(model, "hi again").build()));
        assertThat(deferred.retryAfter()).isGreaterThan(Duration.ofSeconds(1));
        assertThat(WORLD.simulator().requestsForModel(model)).hasSize(1);
    }

    @Test
    void breakerOpensOnOutagesRefusesWhileOpenAndClosesAfterASuccessfulTrial() {
        RecordingEvents events = new RecordingEvents();
        ProviderGuard provider = guarded(defaults().withBreaker(
                new Protections.Breaker(true, 50, 4, 4, 1, Duration.ofMillis(400))), events);
        String model = model("outage", Behaviour.status(503));

        for (int i = 0; i < 3; i++) {
            ProviderException e = failure(provider, callOf(request(model, "hi").build()));
            assertThat(e.code()).isEqualTo("server_error");
            assertThat(e.isRetryable()).isTrue();
        }
        // The fourth failure opens the breaker: it is reported as a deferral, not as a failed attempt.
        Guarded.Deferred<ChatReply> opening = refusal(provider, callOf(request(model, "hi").build()));
        assertThat(opening.code()).isEqualTo(Guarded.CIRCUIT_OPEN);
        assertThat(opening.failure().httpStatus()).contains(503);
        assertThat(opening.failure().code()).isEqualTo(Guarded.CIRCUIT_OPEN);
        assertThat(opening.providerFailure().orElseThrow().code()).isEqualTo("server_error");
        assertThat(opening.retryAfter()).isBetween(Duration.ofMillis(1), Duration.ofMillis(400));

        // While open, calls are refused without reaching the provider.
        Guarded.Deferred<ChatReply> refused = refusal(provider, callOf(request(model, "hi").build()));
        assertThat(refused.code()).isEqualTo(Guarded.CIRCUIT_OPEN);
        assertThat(refused.providerFailure()).isEmpty();
        assertThat(WORLD.simulator().requestsForModel(model)).hasSize(4);
        assertThat(events.states).containsExactly("closed", "open");

        // The provider recovers; after the open duration a trial call goes through and closes the breaker.
        WORLD.simulator().onModel(model, Behaviour.ok());
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> {
            Guarded<ChatReply> outcome = provider.call(callOf(request(model, "hi").build()));
            assertThat(outcome).as("only breaker refusals while open").isNotInstanceOf(Guarded.Failed.class);
            return outcome instanceof Guarded.Answered;
        });
        assertThat(events.states).containsExactly("closed", "open", "half_open", "closed");
        assertThat(answer(provider, callOf(request(model, "hi").build())).choices()).isNotEmpty();
    }

    @Test
    void terminalFailuresAndProviderRateLimitsDoNotOpenTheBreaker() {
        RecordingEvents events = new RecordingEvents();
        ProviderGuard provider = guarded(defaults().withBreaker(
                new Protections.Breaker(true, 50, 4, 4, 1, Duration.ofSeconds(30))), events);
        String bad = model("bad", Behaviour.status(400));
        String limited = model("limited", Behaviour.rateLimited(Duration.ofMillis(10)));

        for (int i = 0; i < 6; i++) {
            assertThat(failure(provider, callOf(request(bad, "hi").build())))
                    .isInstanceOfSatisfying(ProviderException.Terminal.class,
                            e -> assertThat(e.code()).isEqualTo("bad_request"));
            ProviderException e = failure(provider, callOf(request(limited, "hi").build()));
            assertThat(e.code()).isEqualTo("rate_limited");
            assertThat(e.isRetryable()).isTrue();
        }
        assertThat(answer(provider, callOf(request(model("fine"), "hi").build())).choices()).isNotEmpty();
        assertThat(events.states).containsExactly("closed");
    }

    @Test
    void validationIsTheProvidersAndTakesNoPermit() {
        RecordingEvents events = new RecordingEvents();
        String name = "g" + SEQ.incrementAndGet();
        ChatProvider raw = WORLD.create(OpenAiProviderFactory::new, WORLD.settings(name, "openai", Dialect.OPENAI));
        // One request a minute: had validation taken the permit, the call below would be deferred.
        ProviderGuard provider = new ProviderGuard(raw, defaults().withRates(new Protections.Rates(1, 0, 16)),
                Clock.systemUTC(), events);
        String model = model("validate");
        CompletionRequest rag = request(model, "hi").setRagCollection("docs").build();

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> raw.validate(rag)).isInstanceOfSatisfying(InvalidRequestException.class,
                    e -> assertThat(e.parameter()).isEqualTo("rag_collection"));
        }
        assertThat(events.waits("requests")).isEmpty();
        assertThat(answer(provider, callOf(request(model, "hi").build())).choices()).isNotEmpty();
        assertThat(provider.name()).isEqualTo(name);
    }

    /** Records what the protections report. */
    private static final class RecordingEvents implements JobEvents {
        record Wait(String limiter, Duration duration) {
        }

        final List<Wait> waits = new CopyOnWriteArrayList<>();
        final List<String> deferrals = new CopyOnWriteArrayList<>();
        final List<String> states = new CopyOnWriteArrayList<>();

        @Override
        public void onLimiterWait(String provider, String limiter, Duration wait) {
            waits.add(new Wait(limiter, wait));
        }

        @Override
        public void onDeferred(String provider, String reason) {
            deferrals.add(reason);
        }

        @Override
        public void onCircuitState(String provider, String state) {
            states.add(state);
        }

        List<Duration> waits(String limiter) {
            return waits.stream().filter(w -> w.limiter().equals(limiter)).map(Wait::duration)
                    .sorted(Comparator.naturalOrder()).toList();
        }
    }
}
