package io.inferenceworker.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.inferenceworker.schemas.CompletionRequest;
import io.inferenceworker.schemas.CompletionResult;
import io.inferenceworker.schemas.CompletionStatus;
import io.inferenceworker.schemas.Message;
import io.inferenceworker.schemas.Role;
import io.inferenceworker.serde.KafkaAvroSerializer;
import io.inferenceworker.serde.SpecificAvroDeserializer;
import io.inferenceworker.testkit.DevStack;
import io.inferenceworker.testkit.JvmForks;
import io.inferenceworker.testkit.sim.Dialect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker distribution as README "Deploy" runs it: {@code java -jar worker/target/inference-worker.jar}, the jar
 * this build's package phase shaded, as a process of its own against the embedded stack (broker, registry, provider
 * simulator), configured by a config file only ({@code MICRONAUT_CONFIG_FILES}) plus the provider's API key in its
 * environment. It must get ready, answer one job with one SUCCEEDED result (the simulator refuses any other key, so
 * the key came through), never print the key, and exit 0 within its grace at SIGTERM.
 *
 * <p>Run by failsafe in {@code integration-test}, after {@code package}: {@code ./mvnw -pl faults -am verify}.
 */
class DistributionIT {
    private static final String RESULTS = "inference.results";
    private static final String REQUESTS = "inference.requests";
    private static final int PARTITIONS = DevStack.defaultTopics().getFirst().numPartitions();
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);
    /** The worker halts itself at grace + 9 s (Application.SHUTDOWN_MARGIN); one more for the JVM to go. */
    private static final Duration EXIT_ALLOWED = SHUTDOWN_GRACE.plusSeconds(10);
    /** A training run writes its AOT cache (~100 MB) as it exits, after the worker's own shutdown. */
    private static final Duration AOT_TRAINING_EXIT = Duration.ofMinutes(2);
    /** JVM start, Micronaut, Kafka clients and the votes Streams app on 2 shared cores. */
    private static final Duration READY_WITHIN = Duration.ofSeconds(90);

    @Test
    void theJarRunsFromAConfigFileAnswersAJobAndStopsCleanly(@TempDir Path dir) throws Exception {
        try (DevStack stack = DevStack.start()) {
            stack.createDefaultTopics();
            String output = serveOneJob(stack, dir, List.of(), EXIT_ALLOWED);
            assertThat(output).as("the worker's output").contains("Startup completed");
        }
    }

    /**
     * README "Deploy", faster start on JDK 25: a run with {@code -XX:AOTCacheOutput} writes an AOT cache as it exits,
     * and the next start uses it. {@code -XX:AOTMode=on} makes that start fail if the JVM cannot use the cache, so
     * getting ready and answering a job proves it was used (the bench: 90 % of the steady rate after 6.6 s instead of
     * 15.3 s, issue 15).
     */
    @Test
    void aTrainedAotCacheIsUsedByTheNextStart(@TempDir Path dir) throws Exception {
        assumeTrue(Runtime.version().feature() >= 25, "AOT caches with -XX:AOTCacheOutput need JDK 25");
        Path cache = dir.resolve("worker.aot");
        try (DevStack stack = DevStack.start()) {
            stack.createDefaultTopics();
            serveOneJob(stack, dir.resolve("training"), List.of("-XX:AOTCacheOutput=" + cache), AOT_TRAINING_EXIT);
            assertThat(cache).as("the AOT cache the training run wrote at exit").isRegularFile();
            assertThat(Files.size(cache)).isGreaterThan(1_000_000L);

            String output = serveOneJob(stack, dir.resolve("with-cache"),
                    List.of("-XX:AOTCache=" + cache, "-XX:AOTMode=on"), EXIT_ALLOWED);
            assertThat(output).as("the worker's output").contains("Startup completed");
        }
    }

    /**
     * Runs the jar against {@code stack} from a config file, with a fresh Vultr key, until it is ready; produces one
     * job and checks its one SUCCEEDED result, the exit at SIGTERM within {@code exitAllowed} with status 0, and that
     * the key is nowhere in the output or the config file. Returns the worker's output.
     */
    private static String serveOneJob(DevStack stack, Path dir, List<String> extraJvmOptions, Duration exitAllowed)
            throws Exception {
        Path jar = Path.of(System.getProperty("worker.jar", "../worker/target/inference-worker.jar"));
        assertThat(jar).as("the worker distribution; build it with ./mvnw -pl faults -am verify (package, then this)")
                .isRegularFile();
        Files.createDirectories(dir);
        String apiKey = "vultr-key-" + UUID.randomUUID();
        String jobId = "dist-" + UUID.randomUUID();
        stack.simulator().setApiKey(Dialect.VULTR, apiKey);
        int port = JvmForks.freePort();
        Path config = Files.writeString(dir.resolve("worker.yml"), config(stack, port, dir.resolve("votes")));
        List<String> jvmOptions = new ArrayList<>(List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        jvmOptions.addAll(extraJvmOptions);

        try (DistributionProcess worker = DistributionProcess.start(new JvmForks(dir), jar, jvmOptions, config,
                Map.of("VULTR_API_KEY", apiKey), port);
             KafkaConsumer<String, CompletionResult> results = resultsConsumer(stack)) {

            await("readiness UP").atMost(READY_WITHIN).pollInterval(Duration.ofMillis(500)).until(() -> {
                assertThat(worker.alive()).as("the worker exited:%n%s", worker.outputTail(40)).isTrue();
                return worker.readiness().up();
            });

            produce(stack, jobId);
            List<CompletionResult> forJob = new ArrayList<>();
            await("the job's result").atMost(Duration.ofSeconds(60)).pollInSameThread()
                    .until(() -> {
                        read(results, jobId, forJob);
                        return !forJob.isEmpty();
                    });

            WorkerProcess.Exit exit = worker.terminate(exitAllowed);
            assertThat(exit.inTime()).as("exited within %s of SIGTERM:%n%s", exitAllowed, worker.outputTail(40))
                    .isTrue();
            assertThat(exit.code()).as("exit status:%n%s", worker.outputTail(40)).isZero();

            readToEnd(results, jobId, forJob);
            assertThat(forJob).as("results of job %s", jobId).hasSize(1);
            assertThat(forJob.getFirst().getStatus()).as("status, error %s", forJob.getFirst().getError())
                    .isEqualTo(CompletionStatus.SUCCEEDED);

            String output = worker.output();
            assertThat(output).as("the worker's output holds the API key").doesNotContain(apiKey);
            assertThat(Files.readString(config)).doesNotContain(apiKey);
            return output;
        }
    }

    /**
     * The defaults the jar carries resolve by themselves: with a config file that names neither Kafka nor the registry
     * and no variable for them, the worker starts on {@code localhost:9092} and {@code http://localhost:8081} (a
     * default holding a colon once resolved to bootstrap servers "9092" and failed the start), reports itself not ready
     * while nothing answers there, and still stops cleanly.
     */
    @Test
    void theBundledDefaultsResolveWithoutKafkaOrRegistrySettings(@TempDir Path dir) throws Exception {
        Path jar = Path.of(System.getProperty("worker.jar", "../worker/target/inference-worker.jar"));
        assertThat(jar).isRegularFile();
        int port = JvmForks.freePort();
        Path config = Files.writeString(dir.resolve("worker.yml"), """
                micronaut:
                  server:
                    host: 127.0.0.1
                    port: %d
                worker:
                  id: distribution-defaults
                  shutdown-grace: %ds
                votes:
                  state-dir: '%s'
                """.formatted(port, SHUTDOWN_GRACE.toSeconds(), dir.resolve("votes")));

        try (DistributionProcess worker = DistributionProcess.start(new JvmForks(dir), jar,
                List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), config, Map.of(), port)) {
            DistributionProcess.Health[] last = new DistributionProcess.Health[1];
            await("readiness answers").atMost(READY_WITHIN).pollInterval(Duration.ofMillis(500)).until(() -> {
                assertThat(worker.alive()).as("the worker exited:%n%s", worker.outputTail(40)).isTrue();
                last[0] = worker.readiness();
                return last[0].status() != 0;
            });
            assertThat(last[0].body()).as("readiness").contains("\"url\":\"http://localhost:8081\"");

            WorkerProcess.Exit exit = worker.terminate(EXIT_ALLOWED);
            assertThat(exit.inTime()).as("exited within %s of SIGTERM:%n%s", EXIT_ALLOWED, worker.outputTail(40))
                    .isTrue();
            assertThat(exit.code()).as("exit status:%n%s", worker.outputTail(40)).isZero();
            // Started at all: with bootstrap servers "9092" the Kafka clients refused the setting and the start failed.
            assertThat(worker.output()).contains("Startup completed");
        }
    }

    /**
     * What an operator writes for a cluster: where Kafka and the registry are, one provider instance whose key is a
     * placeholder for an environment variable, and the settings this test needs (port, short grace, state dir).
     */
    private static String config(DevStack stack, int port, Path votesState) {
        return """
                micronaut:
                  server:
                    host: 127.0.0.1
                    port: %d
                kafka:
                  bootstrap-servers: %s
                  group-id: distribution-it
                schema-registry:
                  url: %s
                worker:
                  id: distribution-it
                  shutdown-grace: %ds
                votes:
                  state-dir: '%s'
                providers:
                  vultr:
                    type: vultr
                    base-url: %s
                    api-key: ${VULTR_API_KEY}
                    default-model: kimi-k2-instruct
                """.formatted(port, stack.kafka().bootstrapServers(), stack.registry().url(),
                SHUTDOWN_GRACE.toSeconds(), votesState, stack.simulator().baseUrl(Dialect.VULTR));
    }

    private static void produce(DevStack stack, String jobId) throws Exception {
        CompletionRequest request = CompletionRequest.newBuilder()
                .setJobId(jobId)
                .setProvider("vultr")
                .setMessages(List.of(Message.newBuilder().setRole(Role.USER)
                        .setContent("Hello from the distribution").build()))
                .build();
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaAvroSerializer serializer = new KafkaAvroSerializer();
             KafkaProducer<String, Object> producer = new KafkaProducer<>(props, new StringSerializer(), serializer)) {
            serializer.configure(Map.of("schema.registry.url", stack.registry().url()), false);
            producer.send(new ProducerRecord<>(REQUESTS, jobId, request)).get(30, TimeUnit.SECONDS);
        }
    }

    /** Every partition of the results topic from its beginning, no group. */
    private static KafkaConsumer<String, CompletionResult> resultsConsumer(DevStack stack) {
        SpecificAvroDeserializer<CompletionResult> values = new SpecificAvroDeserializer<>(CompletionResult.class);
        values.configure(Map.of("schema.registry.url", stack.registry().url()), false);
        KafkaConsumer<String, CompletionResult> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(), values);
        List<TopicPartition> partitions = IntStream.range(0, PARTITIONS)
                .mapToObj(p -> new TopicPartition(RESULTS, p)).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    private static void read(KafkaConsumer<String, CompletionResult> consumer, String jobId,
                             List<CompletionResult> into) {
        for (ConsumerRecord<String, CompletionResult> r : consumer.poll(Duration.ofMillis(200))) {
            if (jobId.equals(r.key())) {
                into.add(r.value());
            }
        }
    }

    /** Reads on until the consumer's position reaches the end of every partition (the worker has exited). */
    private static void readToEnd(KafkaConsumer<String, CompletionResult> consumer, String jobId,
                                  List<CompletionResult> into) {
        Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
        await("the end of " + RESULTS).atMost(Duration.ofSeconds(30)).pollInSameThread().until(() -> {
            read(consumer, jobId, into);
            return ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
        });
    }
}
