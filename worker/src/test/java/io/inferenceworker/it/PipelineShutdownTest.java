package io.inferenceworker.it;

import static io.inferenceworker.it.PublishWorld.header;
import static io.inferenceworker.it.PublishWorld.health;
import static io.inferenceworker.it.WorkerHarness.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inferenceworker.job.Disposition;
import io.inferenceworker.job.JobPipeline;
import io.inferenceworker.job.RequestRecord;
import io.inferenceworker.publish.DeadLetters;
import io.inferenceworker.testkit.sim.Behaviour;
import io.inferenceworker.testkit.sim.Dialect;
import io.inferenceworker.testkit.sim.ProviderSimulator;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.health.HealthStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The job pipeline of a real worker context (intake disabled, records handed to it directly so that each job's
 * {@link Disposition} can be read), on the embedded broker with the provider simulator.
 */
class PipelineShutdownTest {

    @Test
    void anAttemptInterruptedByShutdownEndsAbandonedAndPublishesNothingTerminal() throws Exception {
        // A simulator of its own: the hanging call stays open there after the test, counting in no other test's peak.
        try (PublishWorld w = new PublishWorld("interrupted", Set.of());
             ProviderSimulator sim = ProviderSimulator.builder().withHangLimit(Duration.ofSeconds(30)).start()) {
            String model = w.prefix + "-hang", job = w.prefix + "-job";
            sim.onModel(model, Behaviour.hang());
            ApplicationContext ctx = w.startWorker(Map.of("worker.enabled", false,
                    "providers.sim.base-url", sim.baseUrl(Dialect.OPENAI),
                    "providers.sim.retry.attempt-timeout", "60s", "providers.sim.retry.max-attempts", 1,
                    "ops.max-job-age", "1s"));
            JobPipeline pipeline = ctx.getBean(JobPipeline.class);
            // A first job warms the producer up (topic metadata known), so a later send would not block on it.
            assertThat(pipeline.submit(record(w, w.prefix + "-warm-up", w.prefix + "-ok")).get(30, TimeUnit.SECONDS))
                    .isEqualTo(Disposition.DONE);
            await().atMost(Duration.ofSeconds(15)).until(() -> w.collector(w.results).size() == 1);

            CompletableFuture<Disposition> done = pipeline.submit(record(w, job, model));
            await().atMost(Duration.ofSeconds(30)).until(() -> !sim.requestsForModel(model).isEmpty());
            // a job running longer than ops.max-job-age: liveness DOWN, and the gauge says how old it is
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    health(ctx, "jobs").orElseThrow().getStatus() == HealthStatus.DOWN);
            assertThat(ctx.getBean(MeterRegistry.class).get("inference.oldest.job.age").gauge().value())
                    .isGreaterThan(1.0);

            assertThat(pipeline.close(Duration.ofMillis(300))).isFalse();

            assertThat(done.get(15, TimeUnit.SECONDS)).isEqualTo(Disposition.ABANDON);
            assertThat(pipeline.state()).isEqualTo(JobPipeline.State.INTERRUPTING);
            assertThat(pipeline.oldestJobAge()).isEmpty();
            assertThat(health(ctx, "jobs").orElseThrow().getStatus()).isEqualTo(HealthStatus.UP);
            // neither a FAILED result made of the interrupted attempt nor a dead letter
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() ->
                    w.collector(w.results).size() == 1 && w.collector(w.dlq).size() == 0);
        }
    }

    @Test
    void aRecordDeadLetteredWithoutRunningIsReportedOnceKafkaHasIt() throws Exception {
        try (PublishWorld w = new PublishWorld("delivery-limit", Set.of())) {
            String job = w.prefix + "-job";
            ApplicationContext ctx = w.startWorker(Map.of("worker.enabled", false));
            JobPipeline pipeline = ctx.getBean(JobPipeline.class);
            RequestRecord record = record(w, job, "m");

            Disposition disposition = pipeline.deadLetter(record, DeadLetters.Reason.of(
                    DeadLetters.Stage.DELIVERY_LIMIT, "org.apache.kafka.clients.consumer.AcknowledgeType",
                    "delivered 5 times without finishing", "delivery_limit")).get(30, TimeUnit.SECONDS);

            assertThat(disposition).isEqualTo(Disposition.DEAD_LETTERED);
            await().atMost(Duration.ofSeconds(15)).until(() -> w.collector(w.dlq).size() == 1);
            ConsumerRecord<byte[], byte[]> letter = w.collector(w.dlq).records().get(0);
            assertThat(header(letter, DeadLetters.STAGE)).isEqualTo("delivery_limit");
            assertThat(letter.value()).isEqualTo(record.raw().value());

            // After the job threads closed (shutdown), a record at its last delivery is still dead-lettered: given
            // back, the broker would archive it. The producer closes after the intake, so the letter goes out.
            pipeline.close(Duration.ofSeconds(1));
            assertThat(pipeline.deadLetter(record, DeadLetters.Reason.of(DeadLetters.Stage.DELIVERY_LIMIT,
                    "x", "y", null)).get(15, TimeUnit.SECONDS)).isEqualTo(Disposition.DEAD_LETTERED);
            await().atMost(Duration.ofSeconds(15)).until(() -> w.collector(w.dlq).size() == 2);
        }
    }

    private static RequestRecord record(PublishWorld w, String job, String model) {
        byte[] value = w.serialize(request(job, model, "hi").build());
        return new RequestRecord(new ConsumerRecord<>(w.requests, 0, 0L, job.getBytes(StandardCharsets.UTF_8), value),
                w.group, Instant.now());
    }
}
