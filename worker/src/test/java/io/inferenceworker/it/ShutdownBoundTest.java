package io.inferenceworker.it;

import static io.inferenceworker.it.WorkerHarness.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inferenceworker.testkit.EmbeddedKafka;
import io.inferenceworker.testkit.JvmForks;
import io.inferenceworker.testkit.sim.Behaviour;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM ends the worker within {@code worker.shutdown-grace} + 10 s even when Kafka became unreachable with jobs in
 * flight: the final commit and the client closes are bounded, and a watchdog halts the JVM as a last resort.
 */
class ShutdownBoundTest {
    private static final Duration GRACE = Duration.ofSeconds(3);

    @Test
    void sigtermWithKafkaGoneExitsWithinTheGracePeriodPlusTenSeconds() throws Exception {
        try (WorkerHarness h = new WorkerHarness("unreachable", 1)) {
            EmbeddedKafka kafka = EmbeddedKafka.start(); // the worker's own broker, to be stopped under it
            Process worker = null;
            File log = File.createTempFile(h.prefix + "-worker", ".log");
            try {
                for (String t : List.of(h.requests, h.results, h.usage, h.chunks, h.dlq)) {
                    kafka.createTopic(t, 1);
                }
                String fast = h.prefix + "-fast";
                String slow = h.prefix + "-slow";
                h.stack.simulator().onModel(fast, Behaviour.ok());
                h.stack.simulator().onModel(slow, Behaviour.ok().withLatency(Duration.ofSeconds(60)));
                try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                        Map.of("bootstrap.servers", kafka.bootstrapServers()), new ByteArraySerializer(),
                        new ByteArraySerializer())) {
                    for (int i = 0; i < 20; i++) {
                        String id = h.prefix + "-" + i;
                        producer.send(new ProducerRecord<>(h.requests, id.getBytes(StandardCharsets.UTF_8),
                                h.serialize(request(id, i < 10 ? fast : slow, "hi").build()))).get();
                    }
                }
                worker = fork(h.workerProperties(Map.of("kafka.bootstrap-servers", kafka.bootstrapServers(),
                        "worker.id", "cut-off", "worker.shutdown-grace", GRACE.toSeconds() + "s",
                        "providers.sim.retry.attempt-timeout", "120s",
                        // nothing committed before the stop: the final commit has work to do, and Kafka is gone
                        "worker.commit-interval", "1h")), log);
                await().atMost(Duration.ofSeconds(90))
                        .until(() -> h.stack.simulator().requestsForModel(slow).size() >= 10);
                awaitRecords(kafka, h.results, 10); // the fast jobs are complete: their offsets await the commit

                kafka.close(); // Kafka unreachable, jobs in flight, offsets not yet committable
                long start = System.nanoTime();
                worker.destroy(); // SIGTERM
                boolean exited = worker.waitFor(GRACE.plusSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertThat(exited).as("exited within grace + 10 s (log %s)", log).isTrue();
                System.out.printf("worker exited %d after %s (grace %s)%n", worker.exitValue(), took, GRACE);
                // 0: the graceful path itself fits (grace, then a final commit and a close of 2 s each); 70 would
                // mean the last-resort watchdog had to halt the JVM
                assertThat(worker.exitValue()).as("exit status; log %s", log).isZero();
                assertThat(Files.readString(log.toPath())).as("every step bounded on its own; log %s", log)
                        .doesNotContain("Intake did not stop").doesNotContain("halting")
                        .contains("Synchronous offset commit failed"); // the final commit had work, and timed out
            } finally {
                if (worker != null) {
                    worker.destroyForcibly().waitFor();
                }
                kafka.close();
                System.out.println(Files.readString(log.toPath()).lines()
                        .filter(l -> l.contains(" i.i.") || l.contains("ERROR"))
                        .limit(40).reduce("", (a, b) -> a + b + "\n"));
            }
        }
    }

    private static void awaitRecords(EmbeddedKafka kafka, String topic, int n) {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of("bootstrap.servers",
                kafka.bootstrapServers()), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.assign(List.of(new TopicPartition(topic, 0)));
            c.seekToBeginning(List.of(new TopicPartition(topic, 0)));
            int[] seen = {0};
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> (seen[0] += c.poll(Duration.ofMillis(100)).count()) >= n);
        }
    }

    /** The worker in its own JVM, so that it can be sent SIGTERM; its output goes to {@code log}. */
    private static Process fork(Map<String, Object> props, File log) {
        String name = log.getName().substring(0, log.getName().length() - ".log".length());
        return new JvmForks(log.toPath().getParent()).start(name, "io.inferenceworker.Application",
                List.of("-Xmx512m"), props, List.of());
    }
}
