package io.inferenceworker.job;

import io.inferenceworker.provider.ProviderEvents;
import io.inferenceworker.schemas.UsageRecord;
import java.time.Duration;

/**
 * What the pipeline reports as jobs move, for metrics: the provider layer's {@link ProviderEvents} plus how jobs
 * start and end, their usage and dead letters. Implementations must be cheap and thread-safe: they are called on
 * every job's thread. Every method defaults to doing nothing.
 */
public interface JobEvents extends ProviderEvents {

    /**
     * A decoded job starts running (once per job and run, before its provider call).
     *
     * @param tenant the request's tenant, null when it names none
     * @param queued from the request record's timestamp to now: time spent in the topic and in the worker's queue
     */
    default void onStarted(String provider, String tenant, Duration queued) {
    }

    /**
     * A job ended with {@code outcome} (succeeded, failed, expired, invalid, undecodable).
     *
     * @param tenant the request's tenant, null when it names none (or the record could not be decoded)
     * @param total  from the request record's timestamp until every output of the job was acknowledged; null when
     *               not measured (undecodable records)
     */
    default void onOutcome(String provider, String model, String tenant, String outcome, Duration total) {
    }

    /**
     * A job's usage record was sent: its tokens, tenant and, when a price is configured, estimated cost and currency.
     *
     * @param requestedModel the model the request named, else the provider instance's default model; may be null
     * @param providerType   the instance's dialect ({@code openai}, {@code vultr}, ...): the GenAI conventions'
     *                       {@code gen_ai.provider.name}, as the job's spans carry it
     */
    default void onUsage(UsageRecord usage, String requestedModel, String providerType) {
    }

    /** A job waited {@code wait} for its tenant's rate permits before its first attempt (not an attempt). */
    default void onTenantWait(String tenant, Duration wait) {
    }

    /**
     * A job was refused by its tenant's limits and ends FAILED.
     *
     * @param reason {@code tenant_rate_limited}, {@code tenant_backlog_full} or {@code budget_exceeded}
     */
    default void onTenantRefused(String tenant, String reason) {
    }

    /**
     * A routed job left a hop for the next one.
     *
     * @param provider the instance of the hop it left
     * @param reason   why: the hop's error code ({@code circuit_open}, {@code insufficient_credit}, ...)
     */
    default void onFallback(String route, String provider, String reason) {
    }

    /** A dead letter was acknowledged by Kafka. */
    default void onDeadLetter(String stage) {
    }

    JobEvents NONE = new JobEvents() {
    };
}
