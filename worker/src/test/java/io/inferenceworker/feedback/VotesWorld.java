package io.inferenceworker.feedback;

import static org.awaitility.Awaitility.await;

import io.inferenceworker.it.StackWorld;
import io.inferenceworker.it.TopicCollector;
import io.inferenceworker.schemas.CompletionRequest;
import io.inferenceworker.schemas.CompletionResult;
import io.inferenceworker.schemas.Message;
import io.inferenceworker.schemas.Role;
import io.inferenceworker.schemas.Vote;
import io.inferenceworker.schemas.VoteRecord;
import io.inferenceworker.schemas.VoteRequest;
import io.inferenceworker.testkit.sim.Dialect;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * One isolated votes world on the shared dev stack: unique topics (vote topics included) and group, producers of
 * requests, results and votes, collectors of the output topics, and workers started on demand with three provider
 * instances: {@code vultr} (rating API), {@code nscale} and {@code sim} (generic OpenAI-compatible; neither rates),
 * and {@code vultr-down} (a Vultr instance nobody listens for).
 */
final class VotesWorld extends StackWorld {
    final String voteRequests;
    final String votes;
    private final List<Path> stateDirs = new CopyOnWriteArrayList<>();

    VotesWorld(String name, int partitions) {
        this(name, partitions, partitions);
    }

    VotesWorld(String name, int resultPartitions, int voteRequestPartitions) {
        super(name);
        this.voteRequests = prefix + ".votes.requests";
        this.votes = prefix + ".votes";
        for (String t : List.of(requests, usage, chunks, dlq)) {
            stack.kafka().createTopic(t, resultPartitions);
        }
        stack.kafka().createTopic(results, resultPartitions, Map.of("cleanup.policy", "compact"));
        stack.kafka().createTopic(votes, resultPartitions, Map.of("cleanup.policy", "compact"));
        stack.kafka().createTopic(voteRequests, voteRequestPartitions);
    }

    /** The Kafka Streams application ID of this world's workers. */
    String applicationId() {
        return group + VotesSettings.APPLICATION_ID_SUFFIX;
    }

    /** The changelog topic of the pending-votes store, where a parked vote becomes visible. */
    String pendingChangelog() {
        return applicationId() + "-" + VotesTopology.PENDING_STORE + "-changelog";
    }

    Map<String, Object> workerProperties(String workerId, Map<String, Object> overrides) {
        Map<String, Object> p = baseProperties();
        p.put("topics.vote-requests", voteRequests);
        p.put("topics.votes", votes);
        p.put("worker.id", workerId);
        p.put("votes.state-dir", tempDir(workerId).toString());
        p.put("votes.streams.commit.interval.ms", "100");
        provider(p, "sim", "openai", stack.simulator().baseUrl(Dialect.OPENAI), "100ms");
        provider(p, "nscale", "nscale", stack.simulator().baseUrl(Dialect.NSCALE), "100ms");
        provider(p, "vultr", "vultr", stack.simulator().baseUrl(Dialect.VULTR), "100ms");
        // Nothing listens on port 9 (discard) of the loopback interface: every rating call fails to connect.
        provider(p, "vultr-down", "vultr", "http://127.0.0.1:9", "100ms");
        p.put("providers.vultr-down.retry.max-attempts", 3);
        p.putAll(overrides);
        return p;
    }

    private Path tempDir(String workerId) {
        try {
            Path dir = Files.createTempDirectory("votes-" + workerId + "-");
            stateDirs.add(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: it is a temporary directory
        }
    }

    ApplicationContext startWorker(String workerId, Map<String, Object> overrides) {
        return start(workerProperties(workerId, overrides));
    }

    /** Starts a worker and waits until its votes component runs. */
    ApplicationContext startVotingWorker(String workerId, Map<String, Object> overrides) {
        ApplicationContext ctx = startWorker(workerId, overrides);
        VotesService service = ctx.getBean(VotesService.class);
        await().atMost(Duration.ofSeconds(60)).until(() -> service.state() == KafkaStreams.State.RUNNING);
        return ctx;
    }

    static CompletionRequest request(String jobId, String provider, String model) {
        return CompletionRequest.newBuilder()
                .setJobId(jobId)
                .setProvider(provider)
                .setModel(model)
                .setMessages(List.of(Message.newBuilder().setRole(Role.USER).setContent("Rate me " + jobId).build()))
                .build();
    }

    static VoteRequest.Builder vote(String jobId, Vote vote) {
        return VoteRequest.newBuilder().setJobId(jobId).setVote(vote);
    }

    void send(CompletionRequest request) {
        sendRaw(requests, key(request.getJobId()), encode(requests, request), List.of());
    }

    /** Publishes a result as if a worker had produced it. */
    void send(CompletionResult result) {
        sendRaw(results, key(result.getJobId()), encode(results, result), List.of());
    }

    void send(VoteRequest vote) {
        send(vote, List.of());
    }

    void send(VoteRequest vote, List<Header> headers) {
        sendRaw(voteRequests, key(vote.getJobId()), encode(voteRequests, vote), headers);
    }

    /** Publishes a result as if a worker had produced it at {@code timestamp} (epoch millis). */
    RecordMetadata send(CompletionResult result, long timestamp) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", stack.kafka().bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            return producer.send(new ProducerRecord<>(results, null, timestamp, key(result.getJobId()),
                    encode(results, result))).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not publish the result of " + result.getJobId(), e);
        }
    }

    /**
     * Waits until the votes app has committed an offset past {@code record}: it has processed it. Unlike its table's
     * content, this stays true once reached, whereas the retention walk may remove an expired result at any moment.
     */
    void awaitProcessed(RecordMetadata record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.kafka().bootstrapServers()))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                OffsetAndMetadata committed = admin.listConsumerGroupOffsets(applicationId())
                        .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS).get(partition);
                return committed != null && committed.offset() > record.offset();
            });
        }
    }

    byte[] encodeResult(CompletionResult result) {
        return encode(results, result);
    }

    byte[] serialize(VoteRequest vote) {
        return encode(voteRequests, vote);
    }

    void sendRaw(String topic, byte[] key, byte[] value, List<Header> headers) {
        produce(topic, key, value, headers);
        flush();
    }

    static byte[] key(String jobId) {
        return jobId.getBytes(StandardCharsets.UTF_8);
    }

    /** Every VoteRecord on the votes topic for {@code jobId}, in order. */
    List<VoteRecord> voteRecords(String jobId) {
        return collector(votes).records().stream()
                .filter(r -> jobId.equals(new String(r.key(), StandardCharsets.UTF_8)))
                .map(r -> (VoteRecord) decode(votes, r))
                .toList();
    }

    /** Waits for the VoteRecord number {@code n} (from 1) of {@code jobId}. */
    VoteRecord awaitVoteRecord(String jobId, int n) {
        await().atMost(Duration.ofSeconds(60)).until(() -> voteRecords(jobId).size() >= n);
        return voteRecords(jobId).get(n - 1);
    }

    /** Waits for the result of {@code jobId}. */
    CompletionResult awaitResult(String jobId) {
        await().atMost(Duration.ofSeconds(60)).until(() -> result(jobId).isPresent());
        return result(jobId).orElseThrow();
    }

    private Optional<CompletionResult> result(String jobId) {
        return collector(results).records().stream()
                .filter(r -> jobId.equals(new String(r.key(), StandardCharsets.UTF_8)))
                .map(r -> (CompletionResult) decode(results, r))
                .findFirst();
    }

    /** Dead letters keyed {@code key}. */
    List<ConsumerRecord<byte[], byte[]>> deadLetters(byte[] key) {
        return collector(dlq).records().stream().filter(r -> java.util.Arrays.equals(key, r.key())).toList();
    }

    /** Waits until the vote on {@code jobId} is parked in the pending-votes store (seen on its changelog). */
    void awaitPending(String jobId) {
        TopicCollector changelog = collector(pendingChangelog());
        await().atMost(Duration.ofSeconds(60)).until(() -> changelog.records().stream()
                .anyMatch(r -> pendingJobId(r).equals(jobId) && r.value() != null));
    }

    /** How many votes on {@code jobId} were parked in the pending-votes store (seen on its changelog). */
    long parkedVotes(String jobId) {
        return collector(pendingChangelog()).records().stream()
                .filter(r -> pendingJobId(r).equals(jobId) && r.value() != null).count();
    }

    private static String pendingJobId(ConsumerRecord<byte[], byte[]> r) {
        String key = new String(r.key(), StandardCharsets.UTF_8);
        return PendingVotes.jobIdOf(key).orElse(key);
    }

    static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        super.close();
        stateDirs.forEach(VotesWorld::delete);
    }
}
