package io.inferenceworker.ops;

import io.inferenceworker.schemas.UsageRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * Meters of what jobs used: tokens and estimated cost by provider and model, the same by tenant, and the
 * OpenTelemetry GenAI histogram {@value #GEN_AI_TOKEN_USAGE} of tokens per call. Part of {@link MeterJobEvents}.
 *
 * <p>Why both token meters: {@value #TOKENS} is a counter (rates and totals, cheap), while the GenAI histogram has the
 * names GenAI dashboards and tools expect and shows how large calls are, at the price of its buckets. Tenant totals
 * are separate counters without provider and model, so their series count is tenants × 2, not tenants × providers ×
 * models × 2.
 *
 * <p>Thread-safe.
 */
final class UsageMeters {
    static final String TOKENS = "inference.tokens";
    static final String COST = "inference.cost";
    static final String TENANT_TOKENS = "inference.tenant.tokens";
    static final String TENANT_COST = "inference.tenant.cost";
    /** OpenTelemetry GenAI semantic conventions: Prometheus {@code gen_ai_client_token_usage_bucket} etc. */
    static final String GEN_AI_TOKEN_USAGE = "gen_ai.client.token.usage";
    /** The GenAI operation of every call the worker makes. */
    static final String GEN_AI_OPERATION = "chat";
    /** The conventions' explicit bucket boundaries for {@value #GEN_AI_TOKEN_USAGE}: powers of 4 from 1 to 4^13. */
    private static final double[] GEN_AI_TOKEN_BUCKETS = {
        1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864};

    private final MeterRegistry registry;
    private final MeterTags tags;
    private final BoundedTagValues currencies = new BoundedTagValues(MeterJobEvents.CLOSED_SET_LIMIT);
    /** Dialects: a closed set the worker knows (plus those of added providers). */
    private final BoundedTagValues types = new BoundedTagValues(MeterJobEvents.CLOSED_SET_LIMIT);

    UsageMeters(MeterRegistry registry, MeterTags tags) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.tags = Objects.requireNonNull(tags, "tags");
    }

    void used(UsageRecord usage, String requestedModel, String providerType) {
        String provider = tags.provider(usage.getProvider());
        String model = tags.model(usage.getModel());
        String tenant = tags.tenant(usage.getTenant());
        long in = usage.getPromptTokens();
        long out = usage.getCompletionTokens();
        tokens(provider, model, tenant, "in", in);
        tokens(provider, model, tenant, "out", out);
        String requested = tags.model(requestedModel == null ? usage.getModel() : requestedModel);
        String genAiProvider = types.admit(providerType == null ? "unknown" : providerType);
        genAiTokens(genAiProvider, provider, requested, "input", in);
        genAiTokens(genAiProvider, provider, requested, "output", out);
        Double cost = usage.getEstimatedCost();
        if (cost != null && cost > 0 && Double.isFinite(cost)) {
            String currency = currencies.admit(usage.getCurrency());
            Counter.builder(COST)
                    .description("Estimated cost of the reported usage, in the provider price table's currency")
                    .tags("provider", provider, "model", model, "currency", currency)
                    .register(registry)
                    .increment(cost);
            Counter.builder(TENANT_COST)
                    .description("Estimated cost of the reported usage by tenant, in the price table's currency")
                    .tags("tenant", tenant, "currency", currency)
                    .register(registry)
                    .increment(cost);
        }
    }

    private void tokens(String provider, String model, String tenant, String direction, long count) {
        if (count <= 0) {
            return;
        }
        Counter.builder(TOKENS)
                .description("Tokens reported by providers; direction in = prompt, out = completion")
                .tags("provider", provider, "model", model, "direction", direction)
                .register(registry)
                .increment(count);
        Counter.builder(TENANT_TOKENS)
                .description("Tokens reported by providers, by tenant; direction in = prompt, out = completion")
                .tags("tenant", tenant, "direction", direction)
                .register(registry)
                .increment(count);
    }

    /** One observation per call and token type, zero included: the histogram's count is the number of calls. */
    private void genAiTokens(String genAiProvider, String provider, String requestedModel, String type, long count) {
        DistributionSummary.builder(GEN_AI_TOKEN_USAGE)
                .description("Number of input and output tokens used, per call (OpenTelemetry GenAI conventions)")
                .tags("gen_ai.operation.name", GEN_AI_OPERATION, "gen_ai.provider.name", genAiProvider,
                        "gen_ai.request.model", requestedModel, "gen_ai.token.type", type, "provider", provider)
                .serviceLevelObjectives(GEN_AI_TOKEN_BUCKETS)
                .register(registry)
                .record(Math.max(0, count));
    }
}
