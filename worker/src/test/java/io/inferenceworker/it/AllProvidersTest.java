package io.inferenceworker.it;

import static io.inferenceworker.it.WorkerHarness.request;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inferenceworker.schemas.Choice;
import io.inferenceworker.schemas.CompletionChunk;
import io.inferenceworker.schemas.CompletionResult;
import io.inferenceworker.schemas.CompletionStatus;
import io.inferenceworker.schemas.Tool;
import io.inferenceworker.schemas.ToolChoice;
import io.inferenceworker.schemas.ToolChoiceMode;
import io.inferenceworker.schemas.UsageRecord;
import io.inferenceworker.testkit.sim.Behaviour;
import io.inferenceworker.testkit.sim.Dialect;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * One worker configured with an instance of every provider type, each pointing at the simulator's dialect, and a job
 * for each flowing through the embedded Kafka, registry, worker and simulator: the whole data path per dialect.
 */
class AllProvidersTest {
    private static final String WEATHER_SCHEMA =
            "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}";

    @Test
    void aJobForEveryProviderTypeFlowsThroughTheWorker() {
        try (WorkerHarness h = new WorkerHarness("all-providers", 3)) {
            var sim = h.stack.simulator();
            String p = h.prefix;
            sim.onModel(p + "-vultr", Behaviour.ok("vultr streamed answer"));
            sim.onModel(p + "-elastic", Behaviour.toolCall("get_weather", "{\"city\":\"Oslo\"}"));
            sim.onModel(p + "-nvidia", Behaviour.okWithReasoning("nvidia answer", "thinking it over"));
            sim.onModel(p + "-nvidia-polled", Behaviour.accepted202(2));
            sim.onModel(p + "-nscale", Behaviour.ok("nscale answer"));
            sim.onModel(p + "-openai", Behaviour.ok("openai answer"));
            h.startWorker(Map.ofEntries(
                    entry("providers.vultr.type", "vultr"),
                    entry("providers.vultr.base-url", sim.baseUrl(Dialect.VULTR)),
                    entry("providers.vultr.api-key", "vultr-test-key"),
                    entry("providers.elastic.type", "elastic"),
                    entry("providers.elastic.base-url", sim.baseUrl(Dialect.ELASTIC)),
                    entry("providers.elastic.api-key", "elastic-test-key"),
                    entry("providers.nvidia.type", "nvidia"),
                    entry("providers.nvidia.base-url", sim.baseUrl(Dialect.NVIDIA)),
                    entry("providers.nvidia.api-key", "nvidia-test-key"),
                    entry("providers.nvidia.options.status-url", sim.baseUrl(Dialect.NVIDIA)),
                    entry("providers.nvidia.options.poll-initial-interval", "10ms"),
                    entry("providers.nscale.type", "nscale"),
                    entry("providers.nscale.base-url", sim.baseUrl(Dialect.NSCALE)),
                    entry("providers.nscale.api-key", "nscale-test-key"),
                    entry("providers.generic.type", "openai"),
                    entry("providers.generic.base-url", sim.baseUrl(Dialect.OPENAI))));

            h.send(request(p + "-job-vultr", p + "-vultr", "stream me").setProvider("vultr").setStream(true).build());
            h.send(request(p + "-job-elastic", p + "-elastic", "weather in Oslo?").setProvider("elastic")
                    .setTools(List.of(new Tool("function", "get_weather", "Current weather", WEATHER_SCHEMA, true)))
                    .setToolChoice(new ToolChoice(ToolChoiceMode.FUNCTION, "get_weather")).build());
            h.send(request(p + "-job-nvidia", p + "-nvidia", "think").setProvider("nvidia")
                    .setChatTemplateKwargs("{\"thinking\":true}").build());
            h.send(request(p + "-job-nvidia-polled", p + "-nvidia-polled", "slow").setProvider("nvidia").build());
            h.send(request(p + "-job-nscale", p + "-nscale", "two answers").setProvider("nscale").setN(2).build());
            h.send(request(p + "-job-openai", p + "-openai", "plain").setProvider("generic").build());
            // Rejected before any call: nscale accepts tool_choice auto or none only.
            h.send(request(p + "-job-invalid", p + "-nscale", "must call").setProvider("nscale")
                    .setTools(List.of(new Tool("function", "get_weather", "Current weather", WEATHER_SCHEMA, true)))
                    .setToolChoice(new ToolChoice(ToolChoiceMode.REQUIRED, null)).build());

            await().atMost(Duration.ofSeconds(60)).until(() -> h.results().size() >= 7);
            Map<String, CompletionResult> results = h.results().stream()
                    .collect(Collectors.toMap(r -> r.getJobId().substring(p.length() + 5), Function.identity()));
            assertThat(results).hasSize(7);

            CompletionResult vultr = results.get("vultr");
            assertSucceeded(vultr, "vultr");
            assertThat(vultr.getChoices().get(0).getContent()).isEqualTo("vultr streamed answer");

            CompletionResult elastic = results.get("elastic");
            assertSucceeded(elastic, "elastic");
            Choice toolChoice = elastic.getChoices().get(0);
            assertThat(toolChoice.getFinishReason()).isEqualTo("tool_calls");
            assertThat(toolChoice.getToolCalls()).singleElement().satisfies(call -> {
                assertThat(call.getName()).isEqualTo("get_weather");
                assertThat(call.getArguments()).isEqualTo("{\"city\":\"Oslo\"}");
            });

            CompletionResult nvidia = results.get("nvidia");
            assertSucceeded(nvidia, "nvidia");
            assertThat(nvidia.getChoices().get(0).getContent()).isEqualTo("nvidia answer");
            assertThat(nvidia.getChoices().get(0).getReasoningContent()).isEqualTo("thinking it over");
            assertSucceeded(results.get("nvidia-polled"), "nvidia");
            assertThat(sim.requestsForModel(p + "-nvidia").get(0).body().path("chat_template_kwargs").path("thinking")
                    .asBoolean()).isTrue();

            CompletionResult nscale = results.get("nscale");
            assertSucceeded(nscale, "nscale");
            assertThat(nscale.getChoices()).hasSize(2);

            CompletionResult generic = results.get("openai");
            assertSucceeded(generic, "generic");
            assertThat(generic.getChoices().get(0).getContent()).isEqualTo("openai answer");

            CompletionResult invalid = results.get("invalid");
            assertThat(invalid.getStatus()).isEqualTo(CompletionStatus.INVALID);
            assertThat(invalid.getError().getMessage()).contains("tool_choice").contains("nscale");
            assertThat(sim.requestsForModel(p + "-nscale")).hasSize(1);

            // The streamed job published its deltas, in sequence, the last one flagged, before its result.
            await().atMost(Duration.ofSeconds(10)).until(() -> chunks(h).stream().anyMatch(CompletionChunk::getLast));
            List<CompletionChunk> chunks = chunks(h);
            assertThat(chunks).allSatisfy(c -> assertThat(c.getJobId()).isEqualTo(p + "-job-vultr"));
            assertThat(chunks).extracting(CompletionChunk::getSequence)
                    .containsExactlyElementsOf(java.util.stream.LongStream.range(0, chunks.size()).boxed().toList());
            assertThat(chunks.stream().map(c -> c.getContentDelta() == null ? "" : c.getContentDelta())
                    .collect(Collectors.joining())).isEqualTo("vultr streamed answer");

            // Usage for every job that reached a provider; the invalid one is dead-lettered with its bytes.
            await().atMost(Duration.ofSeconds(10)).until(() -> h.collector(h.usage).size() >= 6);
            List<UsageRecord> usage = h.collector(h.usage).records().stream()
                    .map(r -> (UsageRecord) h.decode(h.usage, r)).toList();
            assertThat(usage).extracting(UsageRecord::getProvider)
                    .containsExactlyInAnyOrder("vultr", "elastic", "nvidia", "nvidia", "nscale", "generic");
            assertThat(usage).allSatisfy(u -> assertThat(u.getTotalTokens()).isPositive());
            await().atMost(Duration.ofSeconds(10)).until(() -> h.collector(h.dlq).size() >= 1);
            assertThat(h.collector(h.dlq).records()).singleElement().satisfies(r ->
                    assertThat(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8))
                            .isEqualTo(p + "-job-invalid"));
            await().atMost(Duration.ofSeconds(10)).until(() -> h.committedTotal() == 7);
        }
    }

    private static void assertSucceeded(CompletionResult result, String provider) {
        assertThat(result).isNotNull();
        assertThat(result.getStatus()).as(result.getJobId() + " " + result.getError()).isEqualTo(
                CompletionStatus.SUCCEEDED);
        assertThat(result.getProvider()).isEqualTo(provider);
        assertThat(result.getResponseId()).isNotBlank();
        assertThat(result.getUsage().getTotalTokens()).isPositive();
    }

    private static List<CompletionChunk> chunks(WorkerHarness h) {
        return h.collector(h.chunks).records().stream().map(r -> (CompletionChunk) h.decode(h.chunks, r)).toList();
    }
}
