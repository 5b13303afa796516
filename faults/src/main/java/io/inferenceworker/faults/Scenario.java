package io.inferenceworker.faults;

import java.util.Objects;

/** One scenario of the suite: an injection in an intake mode. Its id is {@code <injection>-<mode>}. */
record Scenario(Injection injection, IntakeMode mode) {

    Scenario {
        Objects.requireNonNull(injection, "injection");
        Objects.requireNonNull(mode, "mode");
    }

    String id() {
        return injectionId() + "-" + mode.setting();
    }

    /** The injection's part of the id, e.g. {@code sigkill-loop}. */
    String injectionId() {
        return injection.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** The scenario with this {@link #id()}. */
    static Scenario parse(String id) {
        for (Injection injection : Injection.values()) {
            for (IntakeMode mode : IntakeMode.values()) {
                Scenario s = new Scenario(injection, mode);
                if (s.id().equals(id)) {
                    return s;
                }
            }
        }
        throw new IllegalArgumentException("no scenario " + id);
    }
}
