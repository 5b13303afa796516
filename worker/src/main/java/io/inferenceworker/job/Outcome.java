package io.inferenceworker.job;

import io.inferenceworker.provider.ChatReply;
import io.inferenceworker.provider.ProviderException;
import java.time.Duration;
import java.util.Objects;

/**
 * How a job ended. Exactly one outcome per job; each becomes exactly one {@code CompletionResult}.
 * FAILED and INVALID are also dead-lettered; SUCCEEDED also yields a {@code UsageRecord}.
 */
public sealed interface Outcome {

    Job job();

    /** Provider attempts made (0 when the job never reached its provider); on a route, over every hop. */
    int attempts();

    /** Time spent in provider calls and the waits between them; on a route, over every hop. */
    Duration providerTime();

    /**
     * The provider answered.
     *
     * @param streamAttempt the attempt whose chunks are the answer, when the job streamed; null otherwise
     */
    record Succeeded(Job job, ChatReply reply, int attempts, Duration providerTime, Integer streamAttempt)
            implements Outcome {
        public Succeeded {
            Objects.requireNonNull(reply, "reply");
        }
    }

    /** The provider failed terminally, or retryably until the policy gave up. */
    record Failed(Job job, ProviderException cause, int attempts, Duration providerTime) implements Outcome {
        public Failed {
            Objects.requireNonNull(cause, "cause");
        }
    }

    /** The job's deadline passed before it could be (re)started. */
    record Expired(Job job, String reason, int attempts, Duration providerTime) implements Outcome {
    }

    /**
     * The request cannot be served as asked.
     *
     * @param parameter the offending field, or null when the request as a whole is at fault
     */
    record Invalid(Job job, String parameter, String reason) implements Outcome {
        /** 0, or on a route the attempts of the hops left before this one. */
        @Override
        public int attempts() {
            return job.routing().attemptsBefore();
        }

        @Override
        public Duration providerTime() {
            return job.routing().providerTimeBefore();
        }
    }
}
