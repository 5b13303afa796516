package io.inferenceworker.provider.registry;

import io.inferenceworker.provider.ChatProvider;
import io.inferenceworker.provider.ProviderConfigurationException;
import io.inferenceworker.provider.ProviderFactory;
import io.inferenceworker.provider.ProviderSettings;
import io.inferenceworker.provider.guard.ProviderGuard;
import io.inferenceworker.provider.guard.Protections;
import io.inferenceworker.provider.guard.WaitingRoom;
import io.inferenceworker.config.WorkerSettings;
import io.inferenceworker.provider.ProviderEvents;
import io.inferenceworker.provider.RetryConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.time.Clock;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured provider instances ({@code providers.<name>.*}), built once at start-up by the
 * {@link ProviderFactory} of each instance's {@code type}.
 *
 * <p>Fails fast with a {@link ProviderConfigurationException} listing every problem: an unknown or missing
 * {@code type}, a missing or non-http(s) {@code base-url}, credentials, a query or a fragment in the URL,
 * {@code http://} to a host that is
 * not loopback without {@code allow-insecure-http: true} (the key would cross the network in clear), an API key HTTP
 * cannot carry, invalid retry/price/protection settings, or a dialect rejecting its settings. No instances configured
 * is valid (every job then gets an INVALID result).
 *
 * <p>Each instance's provider gets one {@link ProviderGuard} enforcing its {@link Protections}
 * (concurrency, rate limits, circuit breaker) and a {@link WaitingRoom} of
 * {@code ceil(worker.provider-waiting-share × worker.in-flight-limit)} places, on the worker's clock.
 *
 * <p>Immutable after construction and thread-safe.
 */
@Singleton
public final class ProviderRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(ProviderRegistry.class);
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final Map<String, ProviderInstance> instances;

    /** As {@link #ProviderRegistry(List, List, Clock, ProviderEvents)} without metrics. */
    public ProviderRegistry(List<ProviderSettings> settings, List<ProviderFactory> factories,
                            Clock clock) {
        this(settings, factories, clock, ProviderEvents.NONE);
    }

    /** As {@link #ProviderRegistry(List, List, Clock, ProviderEvents, WorkerSettings)} without waiting rooms. */
    public ProviderRegistry(List<ProviderSettings> settings, List<ProviderFactory> factories,
                            Clock clock, ProviderEvents events) {
        this(settings, factories, clock, events, null);
    }

    /**
     * @param settings  every {@code providers.<name>} block (may be empty)
     * @param factories every dialect's factory bean
     * @param clock     the clock of the instances' protections
     * @param events    where the instances' protections report waits and breaker states
     * @param worker    sizes each instance's {@link WaitingRoom} ({@code provider-waiting-share} of
     *                  {@code in-flight-limit}); null: rooms are never full
     * @throws ProviderConfigurationException when any instance cannot be built
     */
    @Inject
    public ProviderRegistry(List<ProviderSettings> settings, List<ProviderFactory> factories,
                            Clock clock, ProviderEvents events, WorkerSettings worker) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(clock, "clock");
        List<String> problems = new ArrayList<>();
        Map<String, ProviderFactory> byType = byType(Objects.requireNonNull(factories, "factories"), problems);
        Map<String, ProviderInstance> built = new LinkedHashMap<>();
        settings.stream().sorted(Comparator.comparing(ProviderSettings::getName)).forEach(s -> {
            List<String> own = check(s, byType);
            if (own.isEmpty()) {
                build(s, byType, clock, events, worker, own)
                        .ifPresent(instance -> built.put(instance.name(), instance));
            }
            problems.addAll(own);
        });
        if (!problems.isEmpty()) {
            throw new ProviderConfigurationException(problems);
        }
        this.instances = Map.copyOf(built);
        built.values().forEach(i -> LOG.info("provider instance {}: type {}, {}", i.name(), i.settings().getType(),
                i.settings().getBaseUrl()));
    }

    /** The instance called {@code name}, if configured. */
    public Optional<ProviderInstance> find(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(instances.get(name));
    }

    /** Every configured instance. */
    public Collection<ProviderInstance> all() {
        return instances.values();
    }

    private static Map<String, ProviderFactory> byType(List<ProviderFactory> factories, List<String> problems) {
        Map<String, ProviderFactory> byType = new TreeMap<>();
        for (ProviderFactory factory : factories) {
            ProviderFactory other = byType.put(factory.type().toLowerCase(Locale.ROOT), factory);
            if (other != null) {
                problems.add("two provider factories for type " + factory.type() + ": "
                        + other.getClass().getName() + " and " + factory.getClass().getName());
            }
        }
        return byType;
    }

    private static List<String> check(ProviderSettings s, Map<String, ProviderFactory> byType) {
        String prefix = "providers." + s.getName() + ".";
        List<String> problems = new ArrayList<>();
        String type = s.getType() == null ? "" : s.getType().trim().toLowerCase(Locale.ROOT);
        if (type.isEmpty()) {
            problems.add(prefix + "type is required; known types: " + String.join(", ", byType.keySet()));
        } else if (!byType.containsKey(type)) {
            problems.add(prefix + "type '" + s.getType() + "' is unknown; known types: "
                    + String.join(", ", byType.keySet()));
        }
        checkBaseUrl(s, prefix, problems);
        String key = s.getApiKey();
        if (key != null && key.trim().chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            problems.add(prefix + "api-key contains control characters, which an HTTP header cannot carry");
        }
        if (s.getConnectTimeout() == null || s.getConnectTimeout().isNegative() || s.getConnectTimeout().isZero()) {
            problems.add(prefix + "connect-timeout must be positive, was " + s.getConnectTimeout());
        }
        if (s.getMaxConcurrency() < 1) {
            problems.add(prefix + "max-concurrency must be >= 1, was " + s.getMaxConcurrency());
        }
        return problems;
    }

    private static void checkBaseUrl(ProviderSettings s, String prefix, List<String> problems) {
        URI url = s.getBaseUrl();
        if (url == null) {
            problems.add(prefix + "base-url is required");
            return;
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
            problems.add(prefix + "base-url must be an absolute http:// or https:// URL with a host");
            return;
        }
        if (url.getRawUserInfo() != null) {
            problems.add(prefix + "base-url must not carry credentials; configure api-key instead");
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null) {
            // Paths are appended to the base URL, and a query may hold a key that messages would then show.
            problems.add(prefix + "base-url must not have a query or fragment");
        }
        if (scheme.equals("http") && !s.isAllowInsecureHttp() && !isLoopback(url.getHost())) {
            problems.add(prefix + "base-url uses http:// to non-loopback host " + url.getHost()
                    + ": the API key would cross the network unencrypted; use https://, or set " + prefix
                    + "allow-insecure-http: true");
        }
    }

    private static Optional<ProviderInstance> build(ProviderSettings s, Map<String, ProviderFactory> byType,
                                                    Clock clock, ProviderEvents events,
                                                    WorkerSettings worker, List<String> problems) {
        String prefix = "providers." + s.getName() + ".";
        RetryConfig retry;
        PriceTable prices;
        Protections protections;
        try {
            retry = s.getRetry().toConfig();
        } catch (IllegalArgumentException | NullPointerException e) {
            problems.add(prefix + "retry: " + e.getMessage());
            return Optional.empty();
        }
        try {
            prices = PriceTable.of(s.getPrice());
            protections = Protections.of(s, retry);
        } catch (IllegalArgumentException | NullPointerException e) {
            problems.add(prefix + e.getMessage());
            return Optional.empty();
        }
        try {
            ChatProvider provider = byType.get(s.getType().trim().toLowerCase(Locale.ROOT)).create(s);
            WaitingRoom room = worker == null ? WaitingRoom.unbounded(s.getName())
                    : WaitingRoom.of(s.getName(), worker.getProviderWaitingShare(), worker.getInFlightLimit());
            ProviderGuard guard = new ProviderGuard(provider, protections, room, clock, events);
            return Optional.of(new ProviderInstance(s, provider, guard, retry, prices));
        } catch (IllegalArgumentException e) {
            problems.add(prefix.substring(0, prefix.length() - 1) + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    /** Loopback without a DNS lookup: {@code localhost} or a loopback IP literal. */
    static boolean isLoopback(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!IPV4.matcher(h).matches() && !h.contains(":")) {
            return false;
        }
        try {
            // A literal address is parsed, not resolved.
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
