package io.inferenceworker.it;

import static io.inferenceworker.it.PublishWorld.header;
import static io.inferenceworker.it.PublishWorld.health;
import static io.inferenceworker.it.PublishWorld.inFlight;
import static io.inferenceworker.it.WorkerHarness.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inferenceworker.publish.DeadLetters;
import io.micronaut.context.ApplicationContext;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Outputs that cannot be written, end to end on the embedded broker with the provider simulator: each failed output
 * is re-sent alone, one that can never be written dead-letters its job once at stage {@code publish}, dead letters
 * always fit, and an {@link Error} in a job still frees its slot.
 */
class PublishFaultsTest {
    private static final int MAX_REQUEST_SIZE = 16 * 1024;

    @Test
    void aResultTooLargeForTheProducerDeadLettersItsJobOnceWithAValueCutToFit() throws Exception {
        try (PublishWorld w = new PublishWorld("too-large", Set.of())) {
            String model = w.prefix + "-m";
            String big = w.prefix + "-big", small = w.prefix + "-small";
            // The request's metadata is copied into its result and usage, which are then larger than the producer
            // allows, and so is the request itself, which its dead letter carries.
            byte[] bigRequest = w.serialize(request(big, model, "hi")
                    .setMetadata(Map.of("blob", "x".repeat(3 * MAX_REQUEST_SIZE))).build());
            byte[] poison = new byte[3 * MAX_REQUEST_SIZE];
            new Random(13).nextBytes(poison);
            poison[0] = 9; // not the Confluent magic byte: undecodable
            w.sendRaw(big.getBytes(StandardCharsets.UTF_8), bigRequest);
            w.sendRaw("poison".getBytes(StandardCharsets.UTF_8), poison);
            w.send(request(small, model, "hi").build());
            ApplicationContext worker = w.startWorker(Map.of("kafka.producer.max.request.size", MAX_REQUEST_SIZE));

            await().atMost(Duration.ofSeconds(60)).until(() -> w.committed() == 3);
            assertThat(inFlight(worker)).isZero();
            await().atMost(Duration.ofSeconds(10)).until(() -> !w.records(w.results, small).isEmpty());
            assertThat(w.records(w.results, small)).hasSize(1);
            assertThat(w.records(w.results, big)).isEmpty();
            assertThat(w.records(w.usage, big)).isEmpty();
            assertThat(w.stack.simulator().requestsForModel(model)).hasSize(2); // the big job ran once

            ConsumerRecord<byte[], byte[]> letter = single(w, big);
            assertThat(header(letter, DeadLetters.STAGE)).isEqualTo("publish");
            assertThat(header(letter, DeadLetters.ERROR_CODE)).isEqualTo("publish_failed");
            assertThat(header(letter, DeadLetters.EXCEPTION_CLASS))
                    .isEqualTo("org.apache.kafka.common.errors.RecordTooLargeException");
            assertThat(header(letter, DeadLetters.EXCEPTION_MESSAGE)).startsWith("result could not be written");
            assertThat(header(letter, DeadLetters.JOB_ID)).isEqualTo(big);
            assertCut(letter, bigRequest);

            ConsumerRecord<byte[], byte[]> poisonLetter = single(w, "poison");
            assertThat(header(poisonLetter, DeadLetters.STAGE)).isEqualTo("decode");
            assertCut(poisonLetter, poison);
            assertThat(w.collector(w.dlq).size()).isEqualTo(2);
        }
    }

    @Test
    void aDeadLetterTheTopicStillRefusesIsSentWithoutItsValue() throws Exception {
        try (PublishWorld w = new PublishWorld("dlq-refuses", Set.of("dlq"))) {
            // The topic takes less than the producer sends: the dead letter fits the producer, not the topic.
            w.stack.kafka().createTopic(w.dlq, 1, Map.of("max.message.bytes", "4096"));
            byte[] poison = new byte[20_000];
            new Random(7).nextBytes(poison);
            poison[0] = 9;
            w.sendRaw("poison".getBytes(StandardCharsets.UTF_8), poison);
            ApplicationContext worker = w.startWorker(Map.of());

            ConsumerRecord<byte[], byte[]> letter = single(w, "poison");
            assertThat(letter.value()).isEmpty();
            assertThat(header(letter, DeadLetters.STAGE)).isEqualTo("decode");
            assertThat(header(letter, DeadLetters.ORIGINAL_VALUE_SIZE)).isEqualTo("20000");
            assertThat(header(letter, DeadLetters.ORIGINAL_VALUE_SHA256)).isEqualTo(PublishWorld.sha256(poison));
            await().atMost(Duration.ofSeconds(10)).until(() -> w.committed() == 1);
            assertThat(inFlight(worker)).isZero();
        }
    }

    @Test
    void aUsageRecordThatCannotBeWrittenYetIsResentAloneAndTheResultIsWrittenOnce() {
        try (PublishWorld w = new PublishWorld("usage-later", Set.of("usage"))) {
            String model = w.prefix + "-m", job = w.prefix + "-job";
            ApplicationContext worker = w.startWorker(Map.of("kafka.producer.max.block.ms", 300,
                    "worker.publish-timeout", "60s"));

            HealthResult notReady = health(worker, "outputTopics").orElseThrow();
            assertThat(notReady.getStatus()).isEqualTo(HealthStatus.DOWN);
            assertThat(String.valueOf(notReady.getDetails())).contains("missing").contains(w.usage);

            w.send(request(job, model, "hi").build());
            await().atMost(Duration.ofSeconds(30)).until(() -> w.records(w.results, job).size() == 1);
            // The usage record keeps failing (its topic does not exist: every send times out after 300 ms) and is
            // re-sent; the result, acknowledged already, must not be sent again meanwhile.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> w.records(w.results, job).size() == 1);
            assertThat(inFlight(worker)).isEqualTo(1);

            w.createTopic(w.usage);
            await().atMost(Duration.ofSeconds(30)).until(() -> w.records(w.usage, job).size() == 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> w.committed() == 1);
            assertThat(w.records(w.results, job)).hasSize(1);
            assertThat(w.collector(w.dlq).size()).isZero();
            assertThat(inFlight(worker)).isZero();
            await().atMost(Duration.ofSeconds(15)).until(() ->
                    health(worker, "outputTopics").orElseThrow().getStatus() == HealthStatus.UP);
        }
    }

    @Test
    void anOutputNotAcknowledgedWithinThePublishTimeoutDeadLettersItsJobAtStagePublish() {
        try (PublishWorld w = new PublishWorld("publish-timeout", Set.of("usage"))) {
            String model = w.prefix + "-m", job = w.prefix + "-job";
            ApplicationContext worker = w.startWorker(Map.of("kafka.producer.max.block.ms", 300,
                    "worker.publish-timeout", "2s"));
            w.send(request(job, model, "hi").build());

            ConsumerRecord<byte[], byte[]> letter = single(w, job);
            assertThat(header(letter, DeadLetters.STAGE)).isEqualTo("publish");
            assertThat(header(letter, DeadLetters.EXCEPTION_CLASS))
                    .isEqualTo("org.apache.kafka.common.errors.TimeoutException");
            assertThat(header(letter, DeadLetters.EXCEPTION_MESSAGE))
                    .startsWith("usage could not be written").contains("publish timeout of PT2S");
            await().atMost(Duration.ofSeconds(10)).until(() -> w.committed() == 1);
            assertThat(inFlight(worker)).isZero();
            await().atMost(Duration.ofSeconds(10)).until(() -> !w.records(w.results, job).isEmpty());
            assertThat(w.records(w.results, job)).hasSize(1);
            assertThat(w.collector(w.dlq).size()).isEqualTo(1);
        }
    }

    @Test
    void anErrorThrownInAJobFreesItsSlotAndDeadLettersItsRecord() {
        try (PublishWorld w = new PublishWorld("error", Set.of())) {
            String broken = w.prefix + "-broken", fine = w.prefix + "-fine";
            w.send(request(broken, broken, "hi").build());
            w.send(request(fine, fine, "hi").build());
            ApplicationContext worker = w.startWorker(Map.of(ErrorInjectingJobEvents.MODEL, broken));

            await().atMost(Duration.ofSeconds(60)).until(() -> w.committed() == 2);
            assertThat(inFlight(worker)).isZero();
            ConsumerRecord<byte[], byte[]> letter = single(w, broken);
            assertThat(header(letter, DeadLetters.ERROR_CODE)).isEqualTo("internal_error");
            assertThat(header(letter, DeadLetters.EXCEPTION_CLASS)).isEqualTo(LinkageError.class.getName());
            await().atMost(Duration.ofSeconds(10)).until(() -> !w.records(w.results, fine).isEmpty());
            assertThat(w.records(w.results, broken)).isEmpty();
            assertThat(w.records(w.results, fine)).hasSize(1);
        }
    }

    private static ConsumerRecord<byte[], byte[]> single(PublishWorld w, String key) {
        await().atMost(Duration.ofSeconds(30)).until(() -> !w.records(w.dlq, key).isEmpty());
        assertThat(w.records(w.dlq, key)).as("dead letters of %s", key).hasSize(1);
        return w.records(w.dlq, key).get(0);
    }

    private static void assertCut(ConsumerRecord<byte[], byte[]> letter, byte[] original) throws Exception {
        assertThat(letter.value().length).isLessThan(original.length).isPositive();
        assertThat(letter.serializedValueSize() + Math.max(0, letter.serializedKeySize()))
                .isLessThan(MAX_REQUEST_SIZE);
        assertThat(letter.value()).isEqualTo(Arrays.copyOf(original, letter.value().length));
        assertThat(header(letter, DeadLetters.ORIGINAL_VALUE_SIZE)).isEqualTo(String.valueOf(original.length));
        assertThat(header(letter, DeadLetters.ORIGINAL_VALUE_SHA256)).isEqualTo(PublishWorld.sha256(original));
    }
}
