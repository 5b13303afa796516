package io.inferenceworker.faults;

import java.util.Locale;

/** The worker's {@code worker.intake-mode}. */
enum IntakeMode {
    /** A consumer group (the default). */
    GROUP,
    /** A KIP-932 share group. */
    SHARE;

    /** The setting's value, {@code group} or {@code share}. */
    String setting() {
        return name().toLowerCase(Locale.ROOT);
    }
}
