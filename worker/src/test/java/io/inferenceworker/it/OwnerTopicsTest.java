package io.inferenceworker.it;

import static io.inferenceworker.it.PublishWorld.header;
import static io.inferenceworker.it.PublishWorld.health;
import static io.inferenceworker.it.WorkerHarness.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inferenceworker.publish.DeadLetters;
import io.inferenceworker.schemas.CompletionChunk;
import io.inferenceworker.schemas.CompletionRequest;
import io.inferenceworker.schemas.CompletionResult;
import io.inferenceworker.schemas.CompletionStatus;
import io.micronaut.context.ApplicationContext;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Results to their owner, end to end on the embedded broker and registry with the provider simulator: a tenant's
 * jobs publish on the tenant's topics only, a request may name its own topic when the allow-list grants it, a
 * refused topic makes the job INVALID (result on the tenant's topic, dead letter on the operator's), and a tenant
 * topic that cannot be written dead-letters its jobs at stage publish.
 *
 * <p>"Only" is checked against the topics' end offsets (one partition each, no transactions): every output is
 * acknowledged before its job's offset is committed, so once the group committed every job, a topic's collector that
 * has read up to its end offset has seen every record the worker will write there.
 */
class OwnerTopicsTest {

    @Test
    void resultsLandOnTheTenantsTopicOnly() {
        try (WorkerHarness w = new WorkerHarness("owner", 1)) {
            Tenant a = new Tenant(w, "team-a");
            a.createTopics();
            String own = w.prefix + ".team-x.results";
            w.stack.kafka().createTopic(own, 1);
            String ofA = w.prefix + "-of-a", ofNobody = w.prefix + "-of-nobody", toOwn = w.prefix + "-to-own",
                    refused = w.prefix + "-refused";
            w.send(request(ofA, ofA, "hi").setTenant("team-a").setStream(true).build());
            w.send(request(ofNobody, ofNobody, "hi").setStream(true).build());
            w.send(request(toOwn, toOwn, "hi").setTenant("team-a").setResultsTopic(own).build());
            CompletionRequest refusedRequest = request(refused, refused, "hi").setTenant("team-a")
                    .setResultsTopic(w.prefix + ".other.results").build();
            byte[] refusedBytes = w.serialize(refusedRequest);
            w.sendRaw(refused.getBytes(StandardCharsets.UTF_8), refusedBytes, List.of());
            Map<String, Object> config = new HashMap<>(a.config());
            config.put("topics.reply-topic-pattern", Pattern.quote(w.prefix) + "\\.team-[a-z]+\\.results");
            w.startWorker(config);

            await().atMost(Duration.ofSeconds(60)).until(() -> w.committedTotal() == 4);

            // the tenant's job: result, usage and chunks on team-a's topics
            assertThat(all(w, a.results)).containsExactlyInAnyOrder(ofA, refused);
            assertThat(result(w, a.results, ofA).getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
            assertThat(all(w, a.usage)).containsExactlyInAnyOrder(ofA, toOwn);
            assertThat(all(w, a.chunks)).isNotEmpty().containsOnly(ofA);
            List<CompletionChunk> chunks = w.collector(a.chunks).records().stream()
                    .map(r -> (CompletionChunk) w.decode(a.chunks, r)).toList();
            assertThat(chunks).anySatisfy(c -> assertThat(c.getLast()).isTrue());

            // a job without a tenant: the default topics, which hold nothing of team-a's
            assertThat(all(w, w.results)).containsExactly(ofNobody);
            assertThat(all(w, w.usage)).containsExactly(ofNobody);
            assertThat(all(w, w.chunks)).isNotEmpty().containsOnly(ofNobody);

            // a topic the request names and the pattern allows: its result there (its usage on its tenant's, above)
            assertThat(all(w, own)).containsExactly(toOwn);
            assertThat(result(w, own, toOwn).getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);

            // a topic the pattern refuses: INVALID naming it, on the tenant's results topic; no provider call
            CompletionResult invalid = result(w, a.results, refused);
            assertThat(invalid.getStatus()).isEqualTo(CompletionStatus.INVALID);
            assertThat(invalid.getError().getCode()).isEqualTo("invalid_request");
            assertThat(invalid.getError().getMessage()).isEqualTo("results_topic '" + w.prefix
                    + ".other.results' is not allowed: it does not match the allowed pattern "
                    + Pattern.quote(w.prefix) + "\\.team-[a-z]+\\.results");
            assertThat(w.stack.simulator().requestsForModel(refused)).isEmpty();
            // ... and its dead letter, the original bytes, on the operator's dead-letter topic
            assertThat(all(w, w.dlq)).containsExactly(refused);
            ConsumerRecord<byte[], byte[]> letter = w.collector(w.dlq).records().get(0);
            assertThat(letter.value()).isEqualTo(refusedBytes);
            assertThat(header(letter, DeadLetters.STAGE)).isEqualTo("validate");
            assertThat(header(letter, DeadLetters.ERROR_CODE)).isEqualTo("invalid_request");
            assertThat(header(letter, DeadLetters.EXCEPTION_MESSAGE)).isEqualTo(invalid.getError().getMessage());
        }
    }

    @Test
    void aTenantTopicThatIsMissingMakesTheWorkerNotReadyAndDeadLettersItsJobsAtStagePublish() {
        try (WorkerHarness w = new WorkerHarness("owner-missing", 1)) {
            Tenant b = new Tenant(w, "team-b"); // its topics are never created (the broker does not auto-create)
            String job = w.prefix + "-job";
            Map<String, Object> config = new HashMap<>(b.config());
            config.put("kafka.producer.max.block.ms", 300);
            config.put("worker.publish-timeout", "2s");
            ApplicationContext worker = w.startWorker(config);

            HealthResult notReady = health(worker, "outputTopics").orElseThrow();
            assertThat(notReady.getStatus()).isEqualTo(HealthStatus.DOWN);
            assertThat(String.valueOf(notReady.getDetails())).contains("missing").contains(b.results)
                    .contains(b.usage).contains(b.chunks);

            w.send(request(job, job, "hi").setTenant("team-b").build());

            await().atMost(Duration.ofSeconds(30)).until(() -> w.collector(w.dlq).size() == 1);
            ConsumerRecord<byte[], byte[]> letter = w.collector(w.dlq).records().get(0);
            assertThat(header(letter, DeadLetters.JOB_ID)).isEqualTo(job);
            assertThat(header(letter, DeadLetters.STAGE)).isEqualTo("publish");
            assertThat(header(letter, DeadLetters.ERROR_CODE)).isEqualTo("publish_failed");
            assertThat(header(letter, DeadLetters.EXCEPTION_CLASS))
                    .isEqualTo("org.apache.kafka.common.errors.TimeoutException");
            // re-sent while it failed transiently, for the publish timeout (the last failure names the missing topic,
            // or the timeout itself when the wait ended first)
            assertThat(header(letter, DeadLetters.EXCEPTION_MESSAGE)).startsWith("result could not be written")
                    .containsAnyOf(b.results, "publish timeout of PT2S");
            await().atMost(Duration.ofSeconds(10)).until(() -> w.committedTotal() == 1);
            // never a fallback to the default topics: another team's consumers must not see the job
            assertThat(endOffset(w, w.results)).isZero();
            assertThat(endOffset(w, w.usage)).isZero();
            assertThat(all(w, w.dlq)).containsExactly(job);
        }
    }

    /** A tenant of this world, with its three topics (created only by {@link #createTopics}). */
    private record Tenant(WorkerHarness w, String name, String results, String usage, String chunks) {
        Tenant(WorkerHarness w, String name) {
            this(w, name, w.prefix + "." + name + ".results", w.prefix + "." + name + ".usage",
                    w.prefix + "." + name + ".chunks");
        }

        void createTopics() {
            for (String t : List.of(results, usage, chunks)) {
                w.stack.kafka().createTopic(t, 1);
            }
        }

        /** Its {@code tenants.<name>.topics} block, and a key of another settings class it must not mind. */
        Map<String, Object> config() {
            String prefix = "tenants." + name + ".";
            return Map.of(prefix + "topics.results", results, prefix + "topics.usage", usage,
                    prefix + "topics.chunks", chunks, prefix + "requests-per-minute", "600");
        }
    }

    /**
     * The keys (job IDs) of every record in {@code topic}, once its collector has read up to the end offset: called
     * after the worker committed every job, so nothing more will come.
     */
    private static List<String> all(WorkerHarness w, String topic) {
        long end = endOffset(w, topic);
        await().atMost(Duration.ofSeconds(10)).until(() -> w.collector(topic).size() >= end);
        return w.collector(topic).records().stream().map(r -> new String(r.key(), StandardCharsets.UTF_8)).toList();
    }

    private static CompletionResult result(WorkerHarness w, String topic, String jobId) {
        return w.collector(topic).records().stream()
                .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals(jobId))
                .map(r -> (CompletionResult) w.decode(topic, r)).findFirst().orElseThrow();
    }

    /** How many records {@code topic}'s one partition holds (no transactions: one offset per record). */
    private static long endOffset(WorkerHarness w, String topic) {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of("bootstrap.servers",
                w.stack.kafka().bootstrapServers()), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition p = new TopicPartition(topic, 0);
            return c.endOffsets(List.of(p), Duration.ofSeconds(10)).get(p);
        }
    }
}
