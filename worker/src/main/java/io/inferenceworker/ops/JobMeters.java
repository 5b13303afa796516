package io.inferenceworker.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Objects;

/**
 * Meters of whole jobs: how many ended by outcome (per provider and per tenant), how long they took end to end and
 * how long they waited before starting. Part of {@link MeterJobEvents}.
 *
 * <p>The two histograms have fixed service-level buckets only (no percentile buckets): they are tagged by provider
 * (and outcome), so a fixed, short bucket list keeps their series count at providers × outcomes × buckets, and the
 * buckets cover what an LLM job takes, from 100 ms to 30 minutes (the liveness limit is 15 minutes).
 *
 * <p>Thread-safe.
 */
final class JobMeters {
    static final String JOBS = "inference.jobs";
    static final String DURATION = "inference.job.duration";
    static final String QUEUE_TIME = "inference.job.queue.time";
    static final String TENANT_JOBS = "inference.tenant.jobs";
    static final String TENANT_WAIT = "inference.tenant.limit.wait";
    static final String TENANT_REFUSALS = "inference.tenant.refusals";

    /** End to end: the provider call dominates; retries and waits stretch it to the retry window (5 min). */
    private static final Duration[] DURATION_BUCKETS = seconds(
            0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600, 900, 1800);
    /** Queue time: near zero when the worker keeps up, minutes to hours when a backlog builds. */
    private static final Duration[] QUEUE_BUCKETS = seconds(
            0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600);

    private final MeterRegistry registry;
    private final MeterTags tags;
    private final BoundedTagValues outcomes = new BoundedTagValues(MeterJobEvents.CLOSED_SET_LIMIT);
    private final BoundedTagValues refusals = new BoundedTagValues(MeterJobEvents.CLOSED_SET_LIMIT);

    JobMeters(MeterRegistry registry, MeterTags tags) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.tags = Objects.requireNonNull(tags, "tags");
    }

    void started(String provider, Duration queued) {
        Timer.builder(QUEUE_TIME)
                .description("From the request record's timestamp until its job starts running in the worker")
                .tags("provider", tags.provider(provider))
                .serviceLevelObjectives(QUEUE_BUCKETS)
                .register(registry)
                .record(nonNegative(queued));
    }

    void ended(String provider, String tenant, String outcome, Duration total) {
        String p = tags.provider(provider);
        String o = outcomes.admit(outcome);
        Counter.builder(JOBS)
                .description("Jobs ended, by outcome (succeeded, failed, expired, invalid, undecodable)")
                .tags("outcome", o, "provider", p)
                .register(registry)
                .increment();
        Counter.builder(TENANT_JOBS)
                .description("Jobs ended, by tenant (none when the request names none) and outcome")
                .tags("tenant", tags.tenant(tenant), "outcome", o)
                .register(registry)
                .increment();
        if (total != null) {
            Timer.builder(DURATION)
                    .description("From the request record's timestamp until every output of its job was acknowledged")
                    .tags("provider", p, "outcome", o)
                    .serviceLevelObjectives(DURATION_BUCKETS)
                    .register(registry)
                    .record(nonNegative(total));
        }
    }

    void tenantWaited(String tenant, Duration wait) {
        Timer.builder(TENANT_WAIT)
                .description("Waits of jobs for their tenant's rate permits (requests, tokens) before their first attempt")
                .tags("tenant", tags.tenant(tenant))
                .register(registry)
                .record(nonNegative(wait));
    }

    void tenantRefused(String tenant, String reason) {
        Counter.builder(TENANT_REFUSALS)
                .description("Jobs refused by their tenant's limits, by reason (tenant_rate_limited, "
                        + "tenant_backlog_full, budget_exceeded)")
                .tags("tenant", tags.tenant(tenant), "reason", refusals.admit(reason))
                .register(registry)
                .increment();
    }

    /** A producer's clock ahead of ours gives a negative time: count it as zero rather than drop it. */
    private static Duration nonNegative(Duration d) {
        return d == null || d.isNegative() ? Duration.ZERO : d;
    }

    private static Duration[] seconds(double... values) {
        Duration[] out = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Duration.ofNanos(Math.round(values[i] * 1e9));
        }
        return out;
    }
}
