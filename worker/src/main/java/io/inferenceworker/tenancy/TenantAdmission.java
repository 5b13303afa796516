package io.inferenceworker.tenancy;

import java.time.Duration;
import java.util.Objects;

/** What {@link TenantTicket#admit} says of a job. Immutable values. */
public sealed interface TenantAdmission {
    /** The tenant's share of the in-flight limit is taken by its other jobs. Retryable: replay the dead letter. */
    String BACKLOG_FULL = "tenant_backlog_full";
    /** The tenant's rate limits would make the job wait past its retry window or deadline. Retryable. */
    String RATE_LIMITED = "tenant_rate_limited";
    /** The tenant has spent its cost budget for the day. Terminal. */
    String BUDGET_EXCEEDED = "budget_exceeded";

    /**
     * The job may go once {@code dueIn} has passed (zero: now); its request permit and estimated tokens are reserved.
     * The wait is not an attempt.
     */
    record Admitted(Duration dueIn) implements TenantAdmission {
        /** Go now. */
        public static final Admitted NOW = new Admitted(Duration.ZERO);

        public Admitted {
            Objects.requireNonNull(dueIn, "dueIn");
        }
    }

    /**
     * The job may not go: it ends FAILED with {@code code} and {@code reason} (and a dead letter).
     *
     * @param retryable whether the same job could pass later (a replayed dead letter)
     */
    record Refused(String code, String reason, boolean retryable) implements TenantAdmission {
        public Refused {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
