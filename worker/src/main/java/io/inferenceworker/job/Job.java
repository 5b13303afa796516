package io.inferenceworker.job;

import io.inferenceworker.schemas.CompletionRequest;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A decoded request with where it came from.
 *
 * <p>A job whose request names a route is served hop by hop: on each hop it is this job {@link #onHop on} the hop's
 * instance and model, so that everything downstream (the provider call, the result, usage and metrics) sees the
 * instance that served it; {@link #routing()} keeps the route's name and the hops already left.
 *
 * @param request the request (on a hop: a copy naming the hop's instance and model)
 * @param source  the record it was decoded from
 * @param routing the route and hops left; {@link Routing#NONE} when the request named a provider instance
 */
public record Job(CompletionRequest request, RequestRecord source, Routing routing) {
    /** W3C trace-context header name, carried from the request to the provider call and every output. */
    public static final String TRACEPARENT = "traceparent";

    public Job {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(routing, "routing");
    }

    /** A job as decoded: not (yet) on a route. */
    public Job(CompletionRequest request, RequestRecord source) {
        this(request, source, Routing.NONE);
    }

    /**
     * This job on a hop of a route: the request names the hop's instance and model (null: the instance's default).
     * The copy is made once per hop, for routed jobs only.
     */
    Job onHop(String instance, String hopModel, Routing hopRouting) {
        CompletionRequest copy = CompletionRequest.newBuilder(request).setProvider(instance).setModel(hopModel)
                .build();
        return new Job(copy, source, hopRouting);
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
