package io.inferenceworker.job;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Secondary;
import jakarta.inject.Singleton;

/** No-op job events, used when no metrics implementation is present. */
@Factory
public class DefaultJobEvents {
    @Singleton
    @Secondary
    JobEvents noJobEvents() {
        return JobEvents.NONE;
    }
}
