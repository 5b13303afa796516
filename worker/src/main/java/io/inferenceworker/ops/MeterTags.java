package io.inferenceworker.ops;

/**
 * The capped tag value sets that several meter groups share, so that one limit holds across them: a model admitted
 * for the latency timer is the same {@code model} value on the token counters.
 *
 * <p>Thread-safe.
 *
 * @param providers provider instance names (requests may name unknown ones)
 * @param models    model names, chosen by requests
 * @param tenants   tenant names, chosen by requests
 */
record MeterTags(BoundedTagValues providers, BoundedTagValues models, BoundedTagValues tenants) {
    /** The {@code tenant} value of a request that names no tenant. */
    static final String NO_TENANT = "none";

    MeterTags(int modelTagLimit, int providerTagLimit, int tenantTagLimit) {
        this(new BoundedTagValues(providerTagLimit), new BoundedTagValues(modelTagLimit),
                new BoundedTagValues(tenantTagLimit));
    }

    String provider(String provider) {
        return providers.admit(provider);
    }

    String model(String model) {
        return models.admit(model);
    }

    /** The tenant's tag value; {@value #NO_TENANT} when the request names none. */
    String tenant(String tenant) {
        return tenants.admit(tenant, NO_TENANT);
    }
}
