package io.inferenceworker.it;

import io.inferenceworker.job.JobEvents;
import io.micronaut.context.annotation.Primary;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * A fault injector, present only in contexts that set {@value #MODEL}: an {@link Error} thrown on the job's own
 * thread, in the middle of its provider attempt, for jobs of that model (the real components give no way to make a
 * job throw an Error on demand). Every other job runs as usual.
 */
@Singleton
@Primary
@Requires(property = ErrorInjectingJobEvents.MODEL)
final class ErrorInjectingJobEvents implements JobEvents {
    static final String MODEL = "test.inject-error.model";

    private final String model;

    ErrorInjectingJobEvents(@Value("${" + MODEL + "}") String model) {
        this.model = model;
    }

    @Override
    public void onAttempt(String provider, String model, String status, Integer httpStatus, Duration latency) {
        if (this.model.equals(model)) {
            throw new LinkageError("injected by the test");
        }
    }
}
