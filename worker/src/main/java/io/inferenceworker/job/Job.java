package io.inferenceworker.job;

import io.inferenceworker.schemas.CompletionRequest;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A decoded request with where it came from.
 *
 * @param request the request
 * @param source  the record it was decoded from
 */
public record Job(CompletionRequest request, RequestRecord source) {
    /** W3C trace-context header name, carried from the request to the provider call and every output. */
    public static final String TRACEPARENT = "traceparent";

    public Job {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(source, "source");
    }

    public String id() {
        return request.getJobId();
    }

    public String provider() {
        return request.getProvider();
    }

    /** The model the request names, or null for the provider's default. */
    public String model() {
        return request.getModel();
    }

    public Optional<Instant> deadline() {
        return Optional.ofNullable(request.getDeadline());
    }
}
