package io.inferenceworker;

import io.micronaut.runtime.Micronaut;

/** Entry point of the worker. */
public final class Application {
    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
