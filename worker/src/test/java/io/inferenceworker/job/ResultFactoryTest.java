package io.inferenceworker.job;

import static io.inferenceworker.provider.ChatFixtures.request;
import static io.inferenceworker.provider.ChatFixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;

import io.inferenceworker.provider.ChatCall;
import io.inferenceworker.provider.ChatProvider;
import io.inferenceworker.provider.ChatReply;
import io.inferenceworker.provider.ProviderEvents;
import io.inferenceworker.provider.ProviderSettings;
import io.inferenceworker.provider.RetryConfig;
import io.inferenceworker.provider.guard.Protections;
import io.inferenceworker.provider.guard.ProviderGuard;
import io.inferenceworker.provider.registry.PriceTable;
import io.inferenceworker.provider.registry.ProviderInstance;
import io.inferenceworker.schemas.Choice;
import io.inferenceworker.schemas.CompletionRequest;
import io.inferenceworker.schemas.CompletionResult;
import io.inferenceworker.schemas.Usage;
import io.inferenceworker.schemas.UsageRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The provider's optional answer fields reach the result and the usage record. */
class ResultFactoryTest {
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private final ResultFactory results = new ResultFactory("worker-1", Clock.fixed(NOW, ZoneOffset.UTC));

    private static Job job() {
        CompletionRequest request = request("m", "hi").build();
        return new Job(request, new RequestRecord(new ConsumerRecord<>("requests", 0, 0L, NOW.toEpochMilli(), null,
                0, 0, null, null, new org.apache.kafka.common.header.internals.RecordHeaders(),
                java.util.Optional.empty()), "g", NOW));
    }

    private static Outcome.Succeeded succeeded(ChatReply reply) {
        return new Outcome.Succeeded(job(), reply, 1, Duration.ofMillis(5), null);
    }

    @Test
    void systemFingerprintAndStopReasonReachTheResult() {
        Choice choice = Choice.newBuilder().setIndex(0).setContent("a").setFinishReason("stop").setStopReason("END")
                .build();
        ChatReply reply = new ChatReply("r-1", "m", List.of(choice), new Usage(1, 1, 2, null, null, null), "req-1",
                "fp_abc");
        CompletionResult result = results.result(succeeded(reply), "m");
        assertThat(result.getSystemFingerprint()).isEqualTo("fp_abc");
        assertThat(result.getChoices().getFirst().getStopReason()).isEqualTo("END");
    }

    @Test
    void estimatedUsageIsMarkedInTheUsageRecord() {
        ChatReply reply = new ChatReply("r-2", "m", List.of(Choice.newBuilder().setIndex(0).setContent("abcd")
                .build()), new Usage(3, 1, 4, null, null, true), null);
        ProviderSettings settings = settings("p", "openai", "https://example.com");
        ChatProvider provider = new NoProvider();
        ProviderInstance instance = new ProviderInstance(settings, provider, new ProviderGuard(provider,
                Protections.of(settings, RetryConfig.DEFAULTS), Clock.systemUTC(), ProviderEvents.NONE),
                RetryConfig.DEFAULTS, PriceTable.none());
        UsageRecord record = results.usage(succeeded(reply), instance).orElseThrow();
        assertThat(record.getEstimated()).isTrue();
        assertThat(record.getTotalTokens()).isEqualTo(4);
        assertThat(results.result(succeeded(reply), "m").getUsage().getEstimated()).isTrue();
    }

    /** Never called: the factory only reads the instance's prices. */
    private static final class NoProvider implements ChatProvider {
        @Override
        public String name() {
            return "p";
        }

        @Override
        public void validate(CompletionRequest request) {
        }

        @Override
        public ChatReply complete(ChatCall call) {
            throw new UnsupportedOperationException();
        }
    }
}
