package io.inferenceworker.feedback;

import io.inferenceworker.schemas.CompletionStatus;
import io.inferenceworker.schemas.ForwardStatus;
import java.util.Objects;

/** How forwarding a vote to the provider ended; becomes the VoteRecord's forward fields. */
sealed interface ForwardOutcome {

    ForwardStatus status();

    /** Calls made to the provider's rating API, retries included. */
    int attempts();

    /** Human-readable detail for the VoteRecord, or null; never contains secrets. */
    String detail();

    /** The provider accepted the vote. */
    record Forwarded(int attempts) implements ForwardOutcome {
        @Override
        public ForwardStatus status() {
            return ForwardStatus.FORWARDED;
        }

        @Override
        public String detail() {
            return null;
        }
    }

    /** The job's provider has no rating API. */
    record NotSupported(String detail) implements ForwardOutcome {
        public NotSupported {
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public ForwardStatus status() {
            return ForwardStatus.NOT_SUPPORTED;
        }

        @Override
        public int attempts() {
            return 0;
        }
    }

    /** The job did not succeed: there is no answer to vote on. */
    record JobNotSucceeded(CompletionStatus jobStatus) implements ForwardOutcome {
        public JobNotSucceeded {
            Objects.requireNonNull(jobStatus, "jobStatus");
        }

        @Override
        public ForwardStatus status() {
            return ForwardStatus.JOB_NOT_SUCCEEDED;
        }

        @Override
        public int attempts() {
            return 0;
        }

        @Override
        public String detail() {
            return "the job's status is " + jobStatus + "; only SUCCEEDED jobs are rated";
        }
    }

    /** Forwarding failed: terminally, after the retry policy gave up, or before any call (attempts 0). */
    record Failed(int attempts, String detail) implements ForwardOutcome {
        public Failed {
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public ForwardStatus status() {
            return ForwardStatus.FAILED;
        }
    }
}
