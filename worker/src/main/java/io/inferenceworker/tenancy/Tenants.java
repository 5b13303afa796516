package io.inferenceworker.tenancy;

import io.inferenceworker.config.TenantNames;
import io.inferenceworker.config.WorkerSettings;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every tenant's limits and account on this worker. Tenants with a {@code tenants.<name>} block get its limits; any
 * other tenant, and jobs that name none (accounted as {@value TenantSettings#DEFAULT_TENANT}), get those of
 * {@code tenants.default}, each tenant with an account of its own. Without any block nothing is limited. A request's
 * tenant is matched to its block as {@link TenantNames} says.
 *
 * <p>Rate permits are reserved at most {@link #HORIZON} ahead: a tenant whose queue of admitted jobs reaches further
 * has its next jobs refused ({@value TenantAdmission#RATE_LIMITED}), since no job waits that long anyway (the default
 * retry window is 5 minutes).
 *
 * <p>Fails fast at start-up with a {@link ConfigurationException} listing every invalid limit. Thread-safe.
 */
@Singleton
public final class Tenants {
    /** How far ahead a tenant's rate permits may be reserved. */
    public static final Duration HORIZON = Duration.ofMinutes(10);
    private static final Logger LOG = LoggerFactory.getLogger(Tenants.class);

    private final Map<String, TenantAccount> accounts = new ConcurrentHashMap<>();
    private final Map<String, TenantLimits> configured;
    private final TenantLimits defaults;
    private final TenantAccount unlimited;
    private final int inFlightLimit;
    private final Clock clock;

    @Inject
    public Tenants(List<TenantSettings> settings, WorkerSettings worker, Clock clock) {
        this(limitsOf(settings), worker.getInFlightLimit(), clock);
    }

    /**
     * @param limits        per tenant name; the entry {@value TenantSettings#DEFAULT_TENANT}, if any, for the others
     * @param inFlightLimit the worker's in-flight limit, of which each tenant may hold its share
     */
    public Tenants(Map<String, TenantLimits> limits, int inFlightLimit, Clock clock) {
        this.configured = Map.copyOf(limits);
        this.defaults = configured.getOrDefault(TenantSettings.DEFAULT_TENANT, TenantLimits.NONE);
        this.inFlightLimit = inFlightLimit;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.unlimited = new TenantAccount(TenantSettings.DEFAULT_TENANT, TenantLimits.NONE, inFlightLimit, HORIZON);
        configured.forEach((name, l) -> LOG.info("tenant {}: {}", name, l));
    }

    /** A ticket for one job of {@code tenant} (null: a job that names no tenant); close it when the job ends. */
    public TenantTicket ticket(String tenant) {
        if (configured.isEmpty()) {
            return new TenantTicket(unlimited, clock); // no limits anywhere: no lookup per job
        }
        String name = tenant == null || tenant.isBlank() ? TenantSettings.DEFAULT_TENANT : tenant;
        TenantAccount account = TenantNames.lookup(accounts, name);
        if (account == null) {
            account = accounts.computeIfAbsent(TenantNames.bound(name), n -> new TenantAccount(n,
                    configured.getOrDefault(n, defaults), inFlightLimit, HORIZON));
        }
        return new TenantTicket(account, clock);
    }

    /** The limits of every block, unset ones taken from {@code tenants.default}'s, or the defaults. */
    private static Map<String, TenantLimits> limitsOf(List<TenantSettings> settings) {
        List<String> problems = new ArrayList<>();
        TenantLimits base = TenantLimits.NONE;
        for (TenantSettings s : settings) {
            if (s.getName().equals(TenantSettings.DEFAULT_TENANT)) {
                problems.addAll(TenantLimits.problems(s, TenantLimits.NONE));
                base = problems.isEmpty() ? TenantLimits.of(s, TenantLimits.NONE) : base;
            }
        }
        for (TenantSettings s : settings) {
            if (!s.getName().equals(TenantSettings.DEFAULT_TENANT)) {
                problems.addAll(TenantLimits.problems(s, base));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException("invalid tenant configuration:\n  - " + String.join("\n  - ", problems));
        }
        Map<String, TenantLimits> limits = new HashMap<>();
        for (TenantSettings s : settings) {
            limits.put(s.getName(), TenantLimits.of(s, base));
        }
        return limits;
    }
}
