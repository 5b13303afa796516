package io.inferenceworker.ops;

import io.inferenceworker.schemas.UsageRecord;
import java.time.Instant;

/** Usage records as the pipeline reports them to {@code JobEvents.onUsage}, for meter tests. */
final class UsageRecords {
    private UsageRecords() {
    }

    /** A usage record without tenant, priced when {@code cost} is positive (in USD). */
    static UsageRecord usage(String provider, String model, int in, int out, double cost) {
        return usage(provider, model, null, in, out, cost, "USD");
    }

    static UsageRecord usage(String provider, String model, String tenant, int in, int out, double cost,
                             String currency) {
        boolean priced = cost > 0 || Double.isNaN(cost);
        return UsageRecord.newBuilder()
                .setJobId("job-" + System.nanoTime())
                .setTenant(tenant)
                .setProvider(provider)
                .setModel(model)
                .setPromptTokens(in)
                .setCompletionTokens(out)
                .setTotalTokens(in + out)
                .setEstimatedCost(priced ? cost : null)
                .setCurrency(priced ? currency : null)
                .setRecordedAt(Instant.now())
                .build();
    }
}
