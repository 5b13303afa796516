package io.inferenceworker.ops;

import io.inferenceworker.job.JobEvents;
import io.inferenceworker.schemas.UsageRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;

/**
 * The pipeline's events as Micrometer meters; replaces the no-op {@link JobEvents} whenever a {@link MeterRegistry}
 * exists ({@code micronaut.metrics.enabled}, on by default). Meter names are listed in the package documentation.
 *
 * <p>Tag values that requests choose are capped ({@link OpsSettings#getModelTagLimit()},
 * {@link OpsSettings#getProviderTagLimit()}, {@link OpsSettings#getTenantTagLimit()}); the tags whose values the
 * worker or its configuration chooses (status, code, stage, outcome, HTTP status, currency) are capped too, at
 * {@value #CLOSED_SET_LIMIT}, only as a safety net. Job meters are kept by {@link JobMeters}, usage meters by
 * {@link UsageMeters}; this class keeps the provider meters and hands the rest over.
 *
 * <p>Thread-safe and cheap: Micrometer keeps one meter per name and tags, so a call is a map lookup and an add.
 */
@Singleton
@Requires(beans = MeterRegistry.class)
final class MeterJobEvents implements JobEvents {
    static final String LATENCY = "inference.provider.latency";
    static final String RETRIES = "inference.provider.retries";
    static final String DEAD_LETTERS = "inference.dead.letters";
    static final String LIMITER_WAIT = "inference.provider.limiter.wait";
    static final String DEFERRALS = "inference.provider.deferrals";
    static final String FALLBACKS = "inference.route.fallbacks";
    static final String CIRCUIT_STATE = "inference.provider.circuit.state";
    static final String CIRCUIT_TRANSITIONS = "inference.provider.circuit.transitions";
    static final String WAITING = "inference.provider.waiting";
    static final String WAITING_CAPACITY = "inference.provider.waiting.capacity";
    /** Every state a circuit breaker reports; each gets a 0/1 gauge per provider. */
    static final List<String> CIRCUIT_STATES =
            List.of("closed", "open", "half_open", "disabled", "forced_open", "metrics_only");
    static final int CLOSED_SET_LIMIT = 64;

    /** Service-level buckets, in addition to Micrometer's percentile buckets between the expected bounds. */
    private static final Duration[] LATENCY_SLOS = {
        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
        Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(30),
        Duration.ofSeconds(60), Duration.ofSeconds(120)};
    private static final Duration LATENCY_MIN = Duration.ofMillis(50);
    private static final Duration LATENCY_MAX = Duration.ofSeconds(120);

    private final MeterRegistry registry;
    private final BoundedTagValues providers;
    private final BoundedTagValues models;
    private final JobMeters jobs;
    private final UsageMeters usage;
    private final BoundedTagValues statuses = new BoundedTagValues(CLOSED_SET_LIMIT);
    private final BoundedTagValues httpStatuses = new BoundedTagValues(CLOSED_SET_LIMIT);
    private final BoundedTagValues codes = new BoundedTagValues(CLOSED_SET_LIMIT);
    private final BoundedTagValues stages = new BoundedTagValues(CLOSED_SET_LIMIT);
    private final BoundedTagValues limiters = new BoundedTagValues(CLOSED_SET_LIMIT);
    /** The current breaker state per provider tag value, read by the state gauges. */
    private final Map<String, AtomicReference<String>> circuits = new ConcurrentHashMap<>();

    @Inject
    MeterJobEvents(MeterRegistry registry, OpsSettings settings) {
        this(registry, settings.getModelTagLimit(), settings.getProviderTagLimit(), settings.getTenantTagLimit());
    }

    MeterJobEvents(MeterRegistry registry, int modelTagLimit, int providerTagLimit) {
        this(registry, modelTagLimit, providerTagLimit, OpsSettings.DEFAULT_TENANT_TAG_LIMIT);
    }

    MeterJobEvents(MeterRegistry registry, int modelTagLimit, int providerTagLimit, int tenantTagLimit) {
        this.registry = Objects.requireNonNull(registry, "registry");
        MeterTags tags = new MeterTags(modelTagLimit, providerTagLimit, tenantTagLimit);
        this.models = tags.models();
        this.providers = tags.providers();
        this.jobs = new JobMeters(registry, tags);
        this.usage = new UsageMeters(registry, tags);
    }

    @Override
    public void onAttempt(String provider, String model, String status, Integer httpStatus, Duration latency) {
        Timer.builder(LATENCY)
                .description("Duration of one provider attempt, by outcome (status ok or the error code)")
                .tags(Tags.of("provider", providers.admit(provider), "model", models.admit(model),
                        "status", statuses.admit(status),
                        "http_status", httpStatus == null ? "none" : httpStatuses.admit(httpStatus.toString())))
                .publishPercentileHistogram()
                .minimumExpectedValue(LATENCY_MIN)
                .maximumExpectedValue(LATENCY_MAX)
                .serviceLevelObjectives(LATENCY_SLOS)
                .register(registry)
                .record(latency == null || latency.isNegative() ? Duration.ZERO : latency);
    }

    @Override
    public void onRetry(String provider, String code) {
        Counter.builder(RETRIES)
                .description("Provider attempts that failed and are retried, by error code")
                .tags("provider", providers.admit(provider), "code", codes.admit(code))
                .register(registry)
                .increment();
    }

    @Override
    public void onStarted(String provider, String tenant, Duration queued) {
        jobs.started(provider, queued);
    }

    @Override
    public void onOutcome(String provider, String model, String tenant, String outcome, Duration total) {
        jobs.ended(provider, tenant, outcome, total);
    }

    @Override
    public void onUsage(UsageRecord record, String requestedModel, String providerType) {
        if (record != null) {
            usage.used(record, requestedModel, providerType);
        }
    }

    @Override
    public void onTenantWait(String tenant, Duration wait) {
        jobs.tenantWaited(tenant, wait);
    }

    @Override
    public void onTenantRefused(String tenant, String reason) {
        jobs.tenantRefused(tenant, reason);
    }

    @Override
    public void onFallback(String route, String provider, String reason) {
        Counter.builder(FALLBACKS)
                .description("Routed jobs that left a hop for the next one, by route, the hop's provider and why")
                .tags("route", providers.admit(route), "provider", providers.admit(provider),
                        "reason", codes.admit(reason))
                .register(registry)
                .increment();
    }

    @Override
    public void onDeadLetter(String stage) {
        Counter.builder(DEAD_LETTERS)
                .description("Dead letters acknowledged by Kafka, by the stage that rejected the record")
                .tags("stage", stages.admit(stage))
                .register(registry)
                .increment();
    }

    @Override
    public void onLimiterWait(String provider, String limiter, Duration wait) {
        Timer.builder(LIMITER_WAIT)
                .description("Waits for a provider instance's local permits, by limiter (concurrency, requests, tokens)")
                .tags("provider", providers.admit(provider), "limiter", limiters.admit(limiter))
                .register(registry)
                .record(wait == null || wait.isNegative() ? Duration.ZERO : wait);
    }

    @Override
    public void onDeferred(String provider, String reason) {
        Counter.builder(DEFERRALS)
                .description("Calls sent back to wait outside their attempt by local protections, by reason "
                        + "(concurrency, requests, tokens, circuit_open)")
                .tags("provider", providers.admit(provider), "reason", codes.admit(reason))
                .register(registry)
                .increment();
    }

    @Override
    public void onCircuitState(String provider, String state) {
        String p = providers.admit(provider);
        AtomicReference<String> current = circuits.computeIfAbsent(p, this::circuitGauges);
        String previous = current.getAndSet(state);
        if (previous != null && !previous.equals(state)) {
            Counter.builder(CIRCUIT_TRANSITIONS)
                    .description("Circuit breaker transitions, by the state entered")
                    .tags("provider", p, "state", statuses.admit(state))
                    .register(registry)
                    .increment();
        }
    }

    @Override
    public void onWaitingRoom(String provider, int capacity, IntSupplier waiting) {
        String p = providers.admit(provider);
        Gauge.builder(WAITING, waiting, IntSupplier::getAsInt)
                .description("Jobs of a provider instance waiting (breaker open, rate-limited), in its waiting room")
                .tags("provider", p)
                .strongReference(true)
                .register(registry);
        Gauge.builder(WAITING_CAPACITY, () -> capacity)
                .description("The most jobs of a provider instance that may wait; more fail as provider_backlog_full")
                .tags("provider", p)
                .strongReference(true)
                .register(registry);
    }

    private AtomicReference<String> circuitGauges(String provider) {
        AtomicReference<String> current = new AtomicReference<>();
        for (String state : CIRCUIT_STATES) {
            Gauge.builder(CIRCUIT_STATE, current, c -> state.equals(c.get()) ? 1 : 0)
                    .description("1 for the circuit breaker's current state, 0 for the others")
                    .tags("provider", provider, "state", state)
                    .strongReference(true)
                    .register(registry);
        }
        return current;
    }
}
