package io.inferenceworker.cli;

import io.inferenceworker.schemas.CompletionChunk;
import io.inferenceworker.schemas.CompletionResult;
import io.inferenceworker.serde.SpecificAvroDeserializer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Waits for results (and, for streamed jobs, chunks) of jobs sent after it was opened: it reads the result topic, and
 * the chunk topic when asked, from their ends at opening time, so open it <em>before</em> sending. Results are
 * matched by record key (the job ID); duplicates (a worker crash replays a job) are the caller's to ignore.
 * Not thread-safe.
 */
final class ResultWaiter implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(200);

    /** A result and the timestamp of its record. */
    record Received(CompletionResult result, long recordTimestamp) {
    }

    private final TopicReader reader;
    private final String resultsTopic;
    private final String chunksTopic;
    private final SpecificAvroDeserializer<CompletionResult> results;
    private final SpecificAvroDeserializer<CompletionChunk> chunks;
    private final Clock clock;

    private ResultWaiter(TopicReader reader, String resultsTopic, String chunksTopic, KafkaClients clients, Clock clock) {
        this.reader = reader;
        this.resultsTopic = resultsTopic;
        this.chunksTopic = chunksTopic;
        this.results = clients.deserializer(CompletionResult.class);
        this.chunks = chunksTopic == null ? null : clients.deserializer(CompletionChunk.class);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Starts reading results, and chunks when {@code withChunks}, from now on. */
    static ResultWaiter open(KafkaClients clients, KafkaOptions topics, boolean withChunks, Clock clock) {
        List<String> names = withChunks ? List.of(topics.resultsTopic, topics.chunksTopic) : List.of(topics.resultsTopic);
        TopicReader reader = TopicReader.open(clients, names, false);
        return new ResultWaiter(reader, topics.resultsTopic, withChunks ? topics.chunksTopic : null, clients, clock);
    }

    /**
     * Waits for the result of {@code jobId}. Its chunks go to {@code onChunk} as they arrive, and all of them that
     * were published before the result was (the chunk topic up to its end when the result is read) before this
     * returns.
     *
     * @return the result, or empty if none arrived within {@code timeout}
     */
    Optional<CompletionResult> await(String jobId, Duration timeout, Consumer<CompletionChunk> onChunk) {
        Instant deadline = clock.instant().plus(timeout);
        CompletionResult result = null;
        Map<TopicPartition, Long> chunkEnds = null;
        while (true) {
            Duration left = Duration.between(clock.instant(), deadline);
            if (!left.isPositive()) {
                return Optional.ofNullable(result);
            }
            for (ConsumerRecord<byte[], byte[]> record : reader.poll(min(left, POLL))) {
                if (!jobId.equals(key(record))) {
                    continue;
                }
                if (record.topic().equals(resultsTopic) && result == null) {
                    result = results.deserialize(record.topic(), record.headers(), record.value());
                } else if (record.topic().equals(chunksTopic)) {
                    onChunk.accept(chunks.deserialize(record.topic(), record.headers(), record.value()));
                }
            }
            if (result != null) {
                if (chunksTopic == null) {
                    return Optional.of(result);
                }
                if (chunkEnds == null) {
                    chunkEnds = reader.endOffsets(chunksTopic);
                }
                if (reader.reached(chunkEnds)) {
                    return Optional.of(result);
                }
            }
        }
    }

    /** Polls once, waiting up to {@code maxWait}: the results whose job ID is {@code wanted}. */
    List<Received> poll(Duration maxWait, Predicate<String> wanted) {
        List<Received> received = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : reader.poll(maxWait)) {
            String key = key(record);
            if (record.topic().equals(resultsTopic) && key != null && wanted.test(key)) {
                received.add(new Received(results.deserialize(record.topic(), record.headers(), record.value()),
                        record.timestamp()));
            }
        }
        return received;
    }

    @Override
    public void close() {
        reader.close();
        results.close();
        if (chunks != null) {
            chunks.close();
        }
    }

    private static String key(ConsumerRecord<byte[], byte[]> record) {
        return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
