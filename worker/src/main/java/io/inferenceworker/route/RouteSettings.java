package io.inferenceworker.route;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One route, {@code routes.<name>.*}, as configured; {@link RouteTable} checks it and builds the {@link Route}.
 * <pre>
 * routes:
 *   chat:
 *     hops:                      # tried in this order
 *       - provider: vultr-main
 *         model: llama-3.3-70b
 *       - provider: nscale       # no model: the instance's default-model
 *     fall-back-on: [circuit-open, rate-limited, retries-exhausted, insufficient-credit]   # the default
 *     max-wait: 10s              # rate-limited: move on when a wait would be longer (the default)
 *     attempts-per-hop: 0        # retries-exhausted after this many failed attempts; 0 = the instance's max-attempts
 * </pre>
 * Defaults are {@link Route}'s.
 */
@EachProperty("routes")
public class RouteSettings {
    private final String name;
    private List<Map<String, Object>> hops = new ArrayList<>();
    private List<String> fallBackOn = Route.DEFAULT_FALL_BACK_ON.stream().map(Trigger::key).sorted().toList();
    private Duration maxWait = Route.DEFAULT_MAX_WAIT;
    private int attemptsPerHop;

    public RouteSettings(@Parameter String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    public String getName() {
        return name;
    }

    /** Each hop: {@code provider} (an instance name) and optionally {@code model}. */
    public List<Map<String, Object>> getHops() {
        return hops;
    }

    public void setHops(List<Map<String, Object>> hops) {
        this.hops = hops == null ? new ArrayList<>() : hops;
    }

    public List<String> getFallBackOn() {
        return fallBackOn;
    }

    public void setFallBackOn(List<String> fallBackOn) {
        this.fallBackOn = fallBackOn == null ? List.of() : fallBackOn;
    }

    public Duration getMaxWait() {
        return maxWait;
    }

    public void setMaxWait(Duration maxWait) {
        this.maxWait = maxWait;
    }

    public int getAttemptsPerHop() {
        return attemptsPerHop;
    }

    public void setAttemptsPerHop(int attemptsPerHop) {
        this.attemptsPerHop = attemptsPerHop;
    }
}
