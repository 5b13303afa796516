package io.inferenceworker.feedback;

import static org.awaitility.Awaitility.await;

import io.inferenceworker.schemas.CompletionRequest;
import io.inferenceworker.schemas.CompletionResult;
import io.inferenceworker.schemas.Message;
import io.inferenceworker.schemas.Role;
import io.inferenceworker.schemas.Vote;
import io.inferenceworker.schemas.VoteRecord;
import io.inferenceworker.schemas.VoteRequest;
import io.inferenceworker.serde.KafkaAvroDeserializer;
import io.inferenceworker.serde.KafkaAvroSerializer;
import io.inferenceworker.testkit.DevStack;
import io.inferenceworker.testkit.sim.Dialect;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * One isolated votes world on the shared dev stack: unique topics (vote topics included) and group, producers of
 * requests, results and votes, collectors of the output topics, and workers started on demand with three provider
 * instances: {@code vultr} (rating API), {@code nscale} and {@code sim} (generic OpenAI-compatible; neither rates),
 * and {@code vultr-down} (a Vultr instance nobody listens for).
 */
final class VotesWorld implements AutoCloseable {
    private static final AtomicInteger SEQ = new AtomicInteger();

    final DevStack stack = DevStack.shared();
    final String prefix;
    final String requests;
    final String results;
    final String usage;
    final String chunks;
    final String voteRequests;
    final String votes;
    final String dlq;
    final String group;
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaAvroSerializer serializer = new KafkaAvroSerializer();
    private final KafkaAvroDeserializer deserializer = new KafkaAvroDeserializer();
    private final List<ApplicationContext> workers = new CopyOnWriteArrayList<>();
    private final Map<String, Collector> collectors = new ConcurrentHashMap<>();
    private final List<Path> stateDirs = new CopyOnWriteArrayList<>();

    VotesWorld(String name, int partitions) {
        this(name, partitions, partitions);
    }

    VotesWorld(String name, int resultPartitions, int voteRequestPartitions) {
        this.prefix = name + "-" + SEQ.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.requests = prefix + ".requests";
        this.results = prefix + ".results";
        this.usage = prefix + ".usage";
        this.chunks = prefix + ".chunks";
        this.voteRequests = prefix + ".votes.requests";
        this.votes = prefix + ".votes";
        this.dlq = prefix + ".dlq";
        this.group = prefix + ".group";
        for (String t : List.of(requests, usage, chunks, dlq)) {
            stack.kafka().createTopic(t, resultPartitions);
        }
        stack.kafka().createTopic(results, resultPartitions, Map.of("cleanup.policy", "compact"));
        stack.kafka().createTopic(votes, resultPartitions, Map.of("cleanup.policy", "compact"));
        stack.kafka().createTopic(voteRequests, voteRequestPartitions);
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", stack.kafka().bootstrapServers());
        props.put("linger.ms", "1");
        producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        serializer.configure(Map.of("schema.registry.url", stack.registry().url()), false);
        deserializer.configure(Map.of("schema.registry.url", stack.registry().url(), "specific.avro.reader", "true"),
                false);
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
        Map<String, Object> p = new HashMap<>();
        p.put("kafka.bootstrap-servers", stack.kafka().bootstrapServers());
        p.put("kafka.group-id", group);
        p.put("schema-registry.url", stack.registry().url());
        p.put("topics.requests", requests);
        p.put("topics.results", results);
        p.put("topics.usage", usage);
        p.put("topics.chunks", chunks);
        p.put("topics.vote-requests", voteRequests);
        p.put("topics.votes", votes);
        p.put("topics.dead-letters", dlq);
        p.put("worker.id", workerId);
        p.put("worker.commit-interval", "100ms");
        p.put("worker.shutdown-grace", "5s");
        p.put("votes.state-dir", tempDir(workerId).toString());
        p.put("votes.streams.commit.interval.ms", "100");
        p.put("micronaut.server.port", -1);
        provider(p, "sim", "openai", stack.simulator().baseUrl(Dialect.OPENAI));
        provider(p, "nscale", "nscale", stack.simulator().baseUrl(Dialect.NSCALE));
        provider(p, "vultr", "vultr", stack.simulator().baseUrl(Dialect.VULTR));
        // Nothing listens on port 9 (discard) of the loopback interface: every rating call fails to connect.
        provider(p, "vultr-down", "vultr", "http://127.0.0.1:9");
        p.put("providers.vultr-down.retry.max-attempts", 3);
        p.putAll(overrides);
        return p;
    }

    private static void provider(Map<String, Object> p, String name, String type, String baseUrl) {
        String prefix = "providers." + name + ".";
        p.put(prefix + "type", type);
        p.put(prefix + "base-url", baseUrl);
        p.put(prefix + "retry.initial-backoff", "20ms");
        p.put(prefix + "retry.max-backoff", "100ms");
        p.put(prefix + "retry.attempt-timeout", "2s");
        p.put(prefix + "circuit-breaker.enabled", "false");
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
        producer.flush();
        ApplicationContext ctx = ApplicationContext.builder()
                .properties(workerProperties(workerId, overrides))
                .deduceEnvironment(false)
                .environments("it")
                .start();
        workers.add(ctx);
        return ctx;
    }

    /** Starts a worker and waits until its votes component runs. */
    ApplicationContext startVotingWorker(String workerId, Map<String, Object> overrides) {
        ApplicationContext ctx = startWorker(workerId, overrides);
        VotesService service = ctx.getBean(VotesService.class);
        await().atMost(Duration.ofSeconds(60)).until(() -> service.state() == KafkaStreams.State.RUNNING);
        return ctx;
    }

    void stopWorker(ApplicationContext ctx) {
        workers.remove(ctx);
        ctx.close();
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
        sendRaw(requests, key(request.getJobId()), serializer.serialize(requests, request), List.of());
    }

    /** Publishes a result as if a worker had produced it. */
    void send(CompletionResult result) {
        sendRaw(results, key(result.getJobId()), serializer.serialize(results, result), List.of());
    }

    void send(VoteRequest vote) {
        send(vote, List.of());
    }

    void send(VoteRequest vote, List<Header> headers) {
        sendRaw(voteRequests, key(vote.getJobId()), serializer.serialize(voteRequests, vote), headers);
    }

    byte[] serialize(VoteRequest vote) {
        return serializer.serialize(voteRequests, vote);
    }

    void sendRaw(String topic, byte[] key, byte[] value, List<Header> headers) {
        producer.send(new ProducerRecord<>(topic, null, key, value, headers));
        producer.flush();
    }

    static byte[] key(String jobId) {
        return jobId.getBytes(StandardCharsets.UTF_8);
    }

    Collector collector(String topic) {
        return collectors.computeIfAbsent(topic, t -> new Collector(stack, t));
    }

    /** Every VoteRecord on the votes topic for {@code jobId}, in order. */
    List<VoteRecord> voteRecords(String jobId) {
        return collector(votes).records().stream()
                .filter(r -> jobId.equals(new String(r.key(), StandardCharsets.UTF_8)))
                .map(r -> (VoteRecord) deserializer.deserialize(votes, r.headers(), r.value()))
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
                .map(r -> (CompletionResult) deserializer.deserialize(results, r.headers(), r.value()))
                .findFirst();
    }

    /** Dead letters keyed {@code key}. */
    List<ConsumerRecord<byte[], byte[]>> deadLetters(byte[] key) {
        return collector(dlq).records().stream().filter(r -> java.util.Arrays.equals(key, r.key())).toList();
    }

    /** Waits until the vote on {@code jobId} is parked in the pending-votes store (seen on its changelog). */
    void awaitPending(String jobId) {
        Collector changelog = collector(pendingChangelog());
        await().atMost(Duration.ofSeconds(60)).until(() -> changelog.records().stream()
                .anyMatch(r -> jobId.equals(new String(r.key(), StandardCharsets.UTF_8)) && r.value() != null));
    }

    static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        for (ApplicationContext ctx : workers) {
            ctx.close();
        }
        collectors.values().forEach(Collector::close);
        producer.close(Duration.ofSeconds(5));
        serializer.close();
        deserializer.close();
        stateDirs.forEach(VotesWorld::delete);
    }
}
