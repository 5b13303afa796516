package io.inferenceworker.feedback;

import io.inferenceworker.schemas.CompletionResult;
import io.inferenceworker.schemas.CompletionStatus;
import java.util.Objects;

/**
 * What a vote needs of its job's result: who served it and under which response ID. Decoded from the result's bytes
 * in the results table only when a vote looks the job up ({@link ResultFacts}).
 *
 * @param provider   provider instance name, or null when the request was unusable
 * @param model      model that answered, or null
 * @param responseId the provider's response ID, or null
 * @param status     the job's outcome
 */
record JobFacts(String provider, String model, String responseId, CompletionStatus status) {

    JobFacts {
        Objects.requireNonNull(status, "status");
    }

    /** The facts of {@code result}; null for a tombstone, so the table forgets the job. */
    static JobFacts of(CompletionResult result) {
        if (result == null) {
            return null;
        }
        return new JobFacts(result.getProvider(), result.getModel(), result.getResponseId(), result.getStatus());
    }

    boolean succeeded() {
        return status == CompletionStatus.SUCCEEDED;
    }
}
