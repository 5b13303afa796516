package io.inferenceworker.job;

import io.inferenceworker.provider.InvalidRequestException;
import io.inferenceworker.provider.ProviderException;
import io.inferenceworker.provider.registry.ProviderInstance;
import io.inferenceworker.provider.registry.ProviderRegistry;
import io.inferenceworker.publish.Destinations;
import io.inferenceworker.route.Hop;
import io.inferenceworker.route.Route;
import io.inferenceworker.route.RouteTable;
import io.inferenceworker.schemas.CompletionStatus;
import io.inferenceworker.schemas.Usage;
import io.inferenceworker.tenancy.TenantAdmission;
import io.inferenceworker.tenancy.TenantTicket;
import io.inferenceworker.tenancy.Tenants;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Decides a decoded job's outcome: output topics the request may not name, unknown provider or bad parameters →
 * INVALID (before any call), deadline already
 * passed → EXPIRED (never started), over its tenant's in-flight share, budget or rate limits → FAILED
 * ({@link TenantAdmission}), otherwise whatever the provider attempts yield.
 *
 * <p>A job naming a route is served hop by hop, each hop as the job {@link Job#onHop on} that instance and model:
 * validated for it, then its attempts, which leave early when the route says so
 * ({@link Route#leavesRatherThanWait}). When a hop fails or is INVALID and the {@link Route} moves on, the next hop
 * starts, numbering its attempts on from the last hop's; otherwise the hop's outcome is the job's.
 */
final class JobProcessor {
    private final ProviderRegistry providers;
    private final RouteTable routes;
    private final Tenants tenants;
    private final RequestValidator validator;
    private final AttemptRunner attempts;
    private final JobEvents events;
    private final Clock clock;

    JobProcessor(ProviderRegistry providers, RouteTable routes, Tenants tenants, RequestValidator validator,
                 AttemptRunner attempts, JobEvents events, Clock clock) {
        this.providers = Objects.requireNonNull(providers, "providers");
        this.routes = Objects.requireNonNull(routes, "routes");
        this.tenants = Objects.requireNonNull(tenants, "tenants");
        this.validator = Objects.requireNonNull(validator, "validator");
        this.attempts = Objects.requireNonNull(attempts, "attempts");
        this.events = Objects.requireNonNull(events, "events");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The instance the job (on a route: the hop it ended on) names, if configured. */
    Optional<ProviderInstance> providerOf(Job job) {
        return job.provider() == null ? Optional.empty() : providers.find(job.provider());
    }

    /**
     * @param destination where the job's outputs go, or why the topics its request names are refused
     * @param chunks      the job's chunk stream when it streams, else null
     * @param trace       the job's trace, told of each provider attempt
     */
    Outcome process(Job job, Destinations.Decision destination, ChunkStream chunks, JobTrace trace) {
        if (destination instanceof Destinations.Decision.Refused refused) {
            return new Outcome.Invalid(job, refused.parameter(), refused.reason());
        }
        try (TenantTicket tenant = tenants.ticket(job.request().getTenant())) {
            Optional<Route> route = routes.find(job.provider());
            if (route.isPresent()) {
                return route(job, route.get(), tenant, chunks, trace);
            }
            Optional<ProviderInstance> instance = providerOf(job);
            if (instance.isEmpty()) {
                return new Outcome.Invalid(job, "provider", "unknown provider '" + job.provider()
                        + "'; configured providers and routes: " + configuredNames());
            }
            return serve(job, instance.get(), Optional.empty(), tenant, chunks, trace);
        }
    }

    private Outcome route(Job job, Route route, TenantTicket tenant, ChunkStream chunks, JobTrace trace) {
        Routing routing = Routing.start(route.name());
        for (int i = 0; ; i++) {
            Hop hop = route.hops().get(i);
            // The table checked every hop's instance at start-up.
            ProviderInstance instance = providers.find(hop.provider()).orElseThrow();
            Job onHop = job.onHop(hop.provider(), modelOn(hop, instance, job), routing);
            boolean last = i == route.hops().size() - 1;
            Outcome outcome = serve(onHop, instance, last ? Optional.empty() : Optional.of(route), tenant, chunks,
                    trace);
            Optional<Routing.LeftHop> left = last ? Optional.empty() : leaving(route, outcome);
            if (left.isEmpty()) {
                return outcome;
            }
            events.onFallback(route.name(), hop.provider(), left.get().errorCode());
            routing = routing.after(left.get());
        }
    }

    /**
     * The model a hop asks for: the hop's own; else none, so the instance's {@code default-model}; else, when the
     * instance has none either, the request's.
     */
    private static String modelOn(Hop hop, ProviderInstance instance, Job job) {
        if (hop.model() != null) {
            return hop.model();
        }
        return instance.settings().getDefaultModel() != null ? null : job.model();
    }

    /** The hop the job leaves when the route moves on after {@code outcome}; empty when the job ends with it. */
    private static Optional<Routing.LeftHop> leaving(Route route, Outcome outcome) {
        return switch (outcome) {
            case Outcome.Failed f when route.movesOnAfter(f.cause()) ->
                    Optional.of(Routing.LeftHop.of(f, CompletionStatus.FAILED, f.cause().code()));
            case Outcome.Invalid i when route.movesOnInvalid() ->
                    Optional.of(Routing.LeftHop.of(i, CompletionStatus.INVALID, "invalid_request"));
            case Outcome.Failed f -> Optional.empty();
            case Outcome.Invalid i -> Optional.empty();
            case Outcome.Succeeded s -> Optional.empty();
            case Outcome.Expired x -> Optional.empty();
        };
    }

    /**
     * One instance: validate for it, check the deadline, pass the tenant's limits (once per job: waiting for its
     * rate permits within the instance's retry window, not as an attempt), then its attempts; a success is charged
     * to the tenant.
     */
    private Outcome serve(Job job, ProviderInstance instance, Optional<Route> movingOn, TenantTicket tenant,
                          ChunkStream chunks, JobTrace trace) {
        try {
            validator.validate(job.request(), job.id());
            instance.provider().validate(job.request());
        } catch (InvalidRequestException e) {
            return new Outcome.Invalid(job, e.parameter(), e.getMessage());
        }
        if (expired(job)) {
            return expiredBeforeStart(job);
        }
        switch (tenant.admit(job.request(), maxTenantWait(job, instance))) {
            case TenantAdmission.Refused refused -> {
                events.onTenantRefused(job.request().getTenant(), refused.code());
                return new Outcome.Failed(job, tenantFailure(job, refused), job.routing().attemptsBefore(),
                        job.routing().providerTimeBefore());
            }
            case TenantAdmission.Admitted admitted -> {
                if (admitted.dueIn().isPositive()) {
                    events.onTenantWait(job.request().getTenant(), admitted.dueIn());
                    pause(admitted.dueIn());
                    if (expired(job)) {
                        return expiredBeforeStart(job);
                    }
                }
            }
        }
        Outcome outcome = attempts.run(job, instance, movingOn, chunks, trace);
        if (outcome instanceof Outcome.Succeeded s) {
            String model = s.reply().model() != null ? s.reply().model() : job.model();
            Usage usage = s.reply().usage();
            tenant.charge(usage, () -> usage == null ? OptionalDouble.empty()
                    : instance.prices().estimate(model, usage));
        }
        return outcome;
    }

    private boolean expired(Job job) {
        return job.deadline().isPresent() && clock.instant().isAfter(job.deadline().get());
    }

    private static Outcome expiredBeforeStart(Job job) {
        return new Outcome.Expired(job, "deadline " + job.deadline().orElseThrow() + " passed before the job started",
                job.routing().attemptsBefore(), job.routing().providerTimeBefore());
    }

    /** A job waits for its tenant's permits as it would for the instance's: within its retry window and deadline. */
    private Duration maxTenantWait(Job job, ProviderInstance instance) {
        Duration window = instance.retry().window();
        if (job.deadline().isEmpty()) {
            return window;
        }
        Duration toDeadline = Duration.between(clock.instant(), job.deadline().get());
        return toDeadline.compareTo(window) < 0 ? toDeadline : window;
    }

    private static ProviderException tenantFailure(Job job, TenantAdmission.Refused refused) {
        ProviderException.Details details = ProviderException.of(new ProviderException.Context(job.id(),
                job.provider(), job.routing().attemptsBefore() + 1), refused.code(), refused.reason());
        return refused.retryable() ? details.retryable() : details.terminal();
    }

    /** Waits for the tenant's permits on the job's virtual thread; shutdown abandons the job (it is replayed). */
    private static void pause(Duration wait) {
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobAbandonedException("interrupted while waiting for the tenant's rate limit", e);
        }
    }

    private String configuredNames() {
        return Stream.concat(providers.all().stream().map(ProviderInstance::name), routes.names().stream())
                .sorted().collect(Collectors.joining(", "));
    }
}
