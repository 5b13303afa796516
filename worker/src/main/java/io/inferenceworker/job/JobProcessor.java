package io.inferenceworker.job;

import io.inferenceworker.provider.InvalidRequestException;
import io.inferenceworker.provider.registry.ProviderInstance;
import io.inferenceworker.provider.registry.ProviderRegistry;
import io.inferenceworker.publish.Destinations;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Decides a decoded job's outcome: unknown provider, bad parameters or output topics the request may not name →
 * INVALID (before any call), deadline already passed → EXPIRED (never started), otherwise whatever the provider
 * attempts yield.
 */
final class JobProcessor {
    private final ProviderRegistry providers;
    private final RequestValidator validator;
    private final AttemptRunner attempts;
    private final Clock clock;

    JobProcessor(ProviderRegistry providers, RequestValidator validator, AttemptRunner attempts, Clock clock) {
        this.providers = Objects.requireNonNull(providers, "providers");
        this.validator = Objects.requireNonNull(validator, "validator");
        this.attempts = Objects.requireNonNull(attempts, "attempts");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    Optional<ProviderInstance> providerOf(Job job) {
        return job.provider() == null ? Optional.empty() : providers.find(job.provider());
    }

    /**
     * @param route  where the job's outputs go, or why the topics its request names are refused
     * @param chunks the job's chunk stream when it streams, else null
     * @param trace  the job's trace, told of each provider attempt
     */
    Outcome process(Job job, Destinations.Route route, ChunkStream chunks, JobTrace trace) {
        Optional<ProviderInstance> instance = providerOf(job);
        if (instance.isEmpty()) {
            return new Outcome.Invalid(job, "provider", "unknown provider '" + job.provider()
                    + "'; configured providers: " + configuredNames());
        }
        try {
            validator.validate(job.request(), job.id());
            instance.get().provider().validate(job.request());
        } catch (InvalidRequestException e) {
            return new Outcome.Invalid(job, e.parameter(), e.getMessage());
        }
        if (route instanceof Destinations.Route.Refused refused) {
            return new Outcome.Invalid(job, refused.parameter(), refused.reason());
        }
        if (job.deadline().isPresent() && clock.instant().isAfter(job.deadline().get())) {
            return new Outcome.Expired(job, "deadline " + job.deadline().get() + " passed before the job started",
                    0, Duration.ZERO);
        }
        return attempts.run(job, instance.get(), chunks, trace);
    }

    private String configuredNames() {
        return providers.all().stream().map(ProviderInstance::name).sorted().collect(Collectors.joining(", "));
    }
}
