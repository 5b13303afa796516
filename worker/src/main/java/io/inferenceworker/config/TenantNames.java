package io.inferenceworker.config;

import io.micronaut.core.naming.NameUtils;
import java.util.Map;

/**
 * How a request's {@code tenant} finds its {@code tenants.<name>} block: Micronaut binds the block's name hyphenated
 * and lower-case, so {@code TeamA}, {@code team_a} and {@code team-a} are one tenant. The one place this matching is
 * decided, for every component that reads a part of a tenant's block (its limits, its topics). Stateless.
 */
public final class TenantNames {
    private TenantNames() {
    }

    /** {@code tenant} as Micronaut binds a {@code tenants.<name>} key. */
    public static String bound(String tenant) {
        return NameUtils.hyphenate(tenant, true);
    }

    /**
     * The value for {@code tenant} in a map keyed by bound names, or null. The name as given is tried first: this runs
     * for every job, and a name already in its bound form needs no rewriting.
     */
    public static <T> T lookup(Map<String, T> byBoundName, String tenant) {
        T value = byBoundName.get(tenant);
        return value != null ? value : byBoundName.get(bound(tenant));
    }
}
