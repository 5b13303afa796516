package io.inferenceworker.testkit.sim;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Immutable start-up settings of one simulator; built by {@link ProviderSimulator.Builder}, where the defaults are
 * documented.
 */
record SimulatorConfig(String bindAddress, int port, boolean recording, int logCapacity,
                       Map<Dialect, String> apiKeys, String vultrRatingPath, UnaryOperator<String> defaultReply,
                       Clock clock, Duration hangLimit, boolean vultrExtendedParameters) {

    SimulatorConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        apiKeys = Map.copyOf(apiKeys);
        Objects.requireNonNull(vultrRatingPath, "vultrRatingPath");
        Objects.requireNonNull(defaultReply, "defaultReply");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(hangLimit, "hangLimit");
    }
}
