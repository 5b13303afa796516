package io.inferenceworker.route;

import io.inferenceworker.provider.ProviderConfigurationException;
import io.inferenceworker.provider.registry.ProviderInstance;
import io.inferenceworker.provider.registry.ProviderRegistry;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured routes ({@code routes.<name>}), checked against the provider instances at start-up.
 *
 * <p>Fails fast with a {@link ProviderConfigurationException} listing every problem: a route named like a provider
 * instance (a job's {@code provider} field must mean one thing), no hops, a hop without {@code provider} or naming an
 * instance that is not configured, an unknown key in a hop, an unknown {@code fall-back-on} condition, a negative
 * {@code max-wait} or {@code attempts-per-hop}. No routes configured is valid.
 *
 * <p>Immutable after construction and thread-safe.
 */
@Singleton
public final class RouteTable {
    private static final Logger LOG = LoggerFactory.getLogger(RouteTable.class);
    private static final Set<String> HOP_KEYS = Set.of("provider", "model");

    private final Map<String, Route> routes;

    /**
     * @param settings  every {@code routes.<name>} block (may be empty)
     * @param providers the provider instances hops may name
     * @throws ProviderConfigurationException when any route is not valid
     */
    public RouteTable(List<RouteSettings> settings, ProviderRegistry providers) {
        Objects.requireNonNull(providers, "providers");
        List<String> problems = new ArrayList<>();
        Map<String, Route> built = new LinkedHashMap<>();
        Objects.requireNonNull(settings, "settings").stream()
                .sorted(Comparator.comparing(RouteSettings::getName))
                .forEach(s -> build(s, providers, problems).ifPresent(r -> built.put(r.name(), r)));
        if (!problems.isEmpty()) {
            throw new ProviderConfigurationException(problems);
        }
        this.routes = Map.copyOf(built);
        built.values().forEach(r -> LOG.info("route {}: {}; falls back on {}", r.name(), r.hops(),
                r.fallBackOn().stream().map(Trigger::key).sorted().collect(Collectors.joining(", "))));
    }

    /** The route called {@code name}, if configured. */
    public Optional<Route> find(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(routes.get(name));
    }

    /** The names of every route, for messages. */
    public Set<String> names() {
        return routes.keySet();
    }

    private static Optional<Route> build(RouteSettings s, ProviderRegistry providers, List<String> problems) {
        String where = "routes." + s.getName();
        int before = problems.size();
        if (providers.find(s.getName()).isPresent()) {
            problems.add(where + ": a provider instance has the same name; rename the route");
        }
        List<Hop> hops = new ArrayList<>();
        if (s.getHops().isEmpty()) {
            problems.add(where + ".hops: at least one hop (provider and optional model) is required");
        }
        for (int i = 0; i < s.getHops().size(); i++) {
            hop(s.getHops().get(i), where + ".hops[" + i + "]", providers, problems).ifPresent(hops::add);
        }
        Set<Trigger> triggers = EnumSet.noneOf(Trigger.class);
        for (String key : s.getFallBackOn()) {
            Trigger.parse(key).ifPresentOrElse(triggers::add, () -> problems.add(where + ".fall-back-on: unknown "
                    + "condition '" + key + "'; known: " + java.util.Arrays.stream(Trigger.values())
                    .map(Trigger::key).collect(Collectors.joining(", "))));
        }
        if (s.getMaxWait() == null || s.getMaxWait().isNegative()) {
            problems.add(where + ".max-wait must be zero or positive");
        }
        if (s.getAttemptsPerHop() < 0) {
            problems.add(where + ".attempts-per-hop must be >= 0 (0: the instance's max-attempts)");
        }
        if (problems.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new Route(s.getName(), hops, triggers, s.getMaxWait(), s.getAttemptsPerHop()));
    }

    private static Optional<Hop> hop(Map<String, Object> hop, String where, ProviderRegistry providers,
                                     List<String> problems) {
        List<String> unknown = hop.keySet().stream().filter(k -> !HOP_KEYS.contains(k)).sorted().toList();
        if (!unknown.isEmpty()) {
            problems.add(where + ": unknown key(s) " + unknown + "; a hop has provider and model");
        }
        Object provider = hop.get("provider");
        if (provider == null || provider.toString().isBlank()) {
            problems.add(where + ".provider is required");
            return Optional.empty();
        }
        Optional<ProviderInstance> instance = providers.find(provider.toString());
        if (instance.isEmpty()) {
            problems.add(where + ".provider: no provider instance '" + provider + "' is configured");
            return Optional.empty();
        }
        Object model = hop.get("model");
        return Optional.of(new Hop(provider.toString(), model == null || model.toString().isBlank() ? null
                : model.toString()));
    }
}
