package io.inferenceworker.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inferenceworker.cli.CliWorld.Run;
import io.inferenceworker.serde.KafkaAvroSerializer;
import io.inferenceworker.testkit.sim.Behaviour;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives every command of the CLI as a user would ({@code new CommandLine(new ProducerExample()).execute(args)}),
 * against the embedded Kafka and registry, the provider simulator and a real worker.
 */
class ProducerExampleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static CliWorld world;

    @BeforeAll
    static void startWorld() {
        world = new CliWorld(2);
    }

    @AfterAll
    static void stopWorld() {
        world.close();
    }

    @Test
    void helpExitsZeroAndDocumentsTheExitCodes() {
        for (String command : List.of("send", "load", "vote", "tail", "dlq")) {
            Run help = CliWorld.runRaw(command, "--help");
            assertThat(help.exitCode()).as(command).isZero();
            assertThat(help.out()).as(command).contains("Usage: producer-example " + command)
                    .contains("Exit codes:").contains("4   Kafka or the schema registry unreachable")
                    .contains("--bootstrap-servers");
        }
        assertThat(CliWorld.runRaw("--help").exitCode()).isZero();
        assertThat(CliWorld.runRaw("dlq", "replay", "--help").exitCode()).isZero();
    }

    @Test
    void usageErrorsExitTwo() {
        Run unknown = CliWorld.runRaw("send", "--provider", "sim", "--bogus", "hi");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("Unknown option: '--bogus'");

        assertThat(CliWorld.runRaw().exitCode()).isEqualTo(2);
        assertThat(CliWorld.runRaw("send", "hi").err()).contains("--provider is required");
        assertThat(CliWorld.runRaw("vote", "job-1", "sideways").err()).contains("'sideways' is not a vote");
        assertThat(CliWorld.runRaw("send", "-p", "sim", "--deadline", "soon", "hi").exitCode()).isEqualTo(2);
        assertThat(world.run("dlq", "replay").err()).contains("--all");
    }

    @Test
    void anUnreachableClusterExitsFour() {
        Run run = CliWorld.runRaw("send", "-p", "sim", "hi", "--bootstrap-servers", "127.0.0.1:1",
                "--connect-timeout", "1s");
        assertThat(run.exitCode()).isEqualTo(4);
        assertThat(run.err()).contains("Kafka at 127.0.0.1:1 did not answer");
    }

    @Test
    void sendPrintsTheJobIdAndWithWaitTheResult() {
        Run sent = world.run("send", "-p", CliWorld.PROVIDER, "-m", "cli-plain", "Just send");
        assertThat(sent.exitCode()).isZero();
        assertThat(UUID.fromString(sent.out().strip())).isNotNull();

        Run waited = world.run("send", "-p", CliWorld.PROVIDER, "-m", "cli-ok", "--system", "Be brief",
                "--max-tokens", "50", "--metadata", "ticket=T-1", "--wait", "Hello CLI");
        assertThat(waited.exitCode()).as(waited.err()).isZero();
        assertThat(UUID.fromString(waited.firstLine())).isNotNull();
        assertThat(waited.out()).contains("status:    SUCCEEDED after 1 attempt", "answer:    Echo: Hello CLI",
                "provider sim", "usage:");
    }

    @Test
    void aFailedJobExitsOne() {
        world.stack.simulator().onModel("cli-unauthorized", Behaviour.status(401));
        Run run = world.run("send", "-p", CliWorld.PROVIDER, "-m", "cli-unauthorized", "--wait", "Fail please");
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.out()).contains("status:    FAILED").contains("(HTTP 401)");
    }

    @Test
    void anInvalidJobExitsOne() {
        Run run = world.run("send", "-p", CliWorld.PROVIDER, "--temperature", "3.5", "--wait", "Too hot");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("status:    INVALID after 0 attempts").contains("temperature");
    }

    @Test
    void noResultWithinTheTimeoutExitsThree() {
        world.stack.simulator().onModel("cli-hang", Behaviour.hang());
        Run run = world.run("send", "-p", CliWorld.PROVIDER, "-m", "cli-hang", "--wait", "--timeout", "1s", "Wait");
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err()).contains("no result for job " + run.firstLine() + " within 1.0 s");
    }

    @Test
    void aStreamedJobPrintsItsChunksBeforeTheResult() {
        Run run = world.run("send", "-p", CliWorld.PROVIDER, "-m", "cli-stream", "--stream", "--wait",
                "one two three four five");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("streaming: Echo: one two three four five\n");
        assertThat(run.out().indexOf("streaming:")).isLessThan(run.out().indexOf("status:"));
        assertThat(run.out()).doesNotContain("answer:"); // not repeated after the stream

        Run chunks = world.run("tail", "chunks", "--from-beginning", "--job-id", run.firstLine(), "--max", "2",
                "--json");
        assertThat(chunks.exitCode()).as(chunks.err()).isZero();
        assertThat(chunks.out().lines()).hasSize(2).allSatisfy(line ->
                assertThat(JSON.readTree(line).get("key").asText()).isEqualTo(run.firstLine()));
    }

    @Test
    void aRequestFileWithToolsGetsAToolCall(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("request.json");
        Files.writeString(file, """
                {
                  "provider": "sim",
                  "model": "cli-tools",
                  "messages": [{"role": "user", "content": [{"type": "text", "text": "What is the weather in Paris?"}]}],
                  "tools": [{"name": "get_weather", "description": "Current weather",
                             "parameters": {"type": "object", "properties": {"city": {"type": "string"}},
                                            "required": ["city"]}}],
                  "tool_choice": {"mode": "auto"},
                  "deadline": "5m",
                  "metadata": {"source": "file"}
                }
                """);
        Run run = world.run("send", "--file", file.toString(), "--metadata", "extra=1", "--wait", "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode result = JSON.readTree(run.out().lines().skip(1).findFirst().orElseThrow());
        assertThat(result.get("status").asText()).isEqualTo("SUCCEEDED");
        JsonNode call = result.get("choices").get(0).get("tool_calls").get(0);
        assertThat(call.get("name").asText()).isEqualTo("get_weather");
        assertThat(JSON.readTree(call.get("arguments").asText()).get("city").asText()).isEqualTo("example");
        assertThat(result.get("metadata")).isEqualTo(JSON.readTree("{\"source\":\"file\",\"extra\":\"1\"}"));

        Files.writeString(file, "{\"provider\": \"sim\", \"messages\": [{\"role\": \"usr\", \"content\": \"x\"}]}");
        Run bad = world.run("send", "--file", file.toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("messages[0].role: 'usr' is not one of [SYSTEM, USER, ASSISTANT, TOOL, DEVELOPER]");
    }

    @Test
    void voteWritesAVoteRequestAndTailShowsItAndTheJoinedVote() throws Exception {
        String jobId = "vote-" + UUID.randomUUID();
        Run job = world.run("send", "-p", CliWorld.PROVIDER, "--job-id", jobId, "--wait", "Vote on me");
        assertThat(job.exitCode()).as(job.out() + job.err()).isZero();
        Run vote = world.run("vote", jobId, "up", "--comment", "spot on", "--voter", "tester");
        assertThat(vote.exitCode()).as(vote.err()).isZero();
        assertThat(vote.out()).contains("vote UP on job " + jobId);

        Run tail = world.run("tail", "vote-requests", "--from-beginning", "--job-id", jobId, "--max", "1", "--json");
        assertThat(tail.exitCode()).isZero();
        JsonNode record = JSON.readTree(tail.out().strip());
        assertThat(record.get("key").asText()).isEqualTo(jobId);
        assertThat(record.get("value").get("vote").asText()).isEqualTo("UP");
        assertThat(record.get("value").get("comment").asText()).isEqualTo("spot on");
        assertThat(record.get("value").get("voter").asText()).isEqualTo("tester");

        // the worker joins the vote with the job's result into a VoteRecord
        Run votes = world.run("tail", "votes", "--from-beginning", "--job-id", jobId, "--max", "1", "--timeout", "30s");
        assertThat(votes.exitCode()).as(votes.err()).isZero();
        assertThat(votes.out()).startsWith("vote  " + jobId + "  UP  sim/cli-default  job=SUCCEEDED");
    }

    @Test
    void tailWithMaxExitsThreeWhenTooFewRecordsComeInTime() {
        Run run = world.run("tail", "results", "--job-id", "no-such-job", "--max", "1", "--timeout", "1s");
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err()).contains("0 of 1 records within 1.0 s");
    }

    @Test
    void tailPrintsResultsForPeopleAndAsJson() throws Exception {
        String jobId = "tail-" + UUID.randomUUID();
        Run sent = world.run("send", "-p", CliWorld.PROVIDER, "--job-id", jobId, "--wait", "Tail me");
        assertThat(sent.exitCode()).as(sent.out() + sent.err()).isZero();
        Run human = world.run("tail", "results", "--from-beginning", "--job-id", jobId, "--max", "1");
        assertThat(human.out()).startsWith("result  " + jobId + "  SUCCEEDED  sim/cli-default").contains("\"Echo: Tail me\"");

        Run usage = world.run("tail", "usage", "--from-beginning", "--job-id", jobId, "--max", "1", "--json");
        JsonNode record = JSON.readTree(usage.out().strip());
        assertThat(record.get("topic").asText()).isEqualTo(world.topics.get(TopicKind.USAGE));
        assertThat(record.get("value").get("total_tokens").asInt()).isPositive();
    }

    @Test
    void dlqListsDeadLettersWithTheirReasonsAndReplaysThem() {
        String jobId = "dlq-" + UUID.randomUUID();
        Run invalid = world.run("send", "-p", CliWorld.PROVIDER, "--job-id", jobId, "--top-p", "1.5",
                "--header", "traceparent=00-abc-def-01", "--wait", "Dead letter me");
        assertThat(invalid.exitCode()).isEqualTo(1);

        await().atMost(CliWorld.patience()).untilAsserted(() ->
                assertThat(world.run("dlq", "--job-id", jobId).out()).contains("1 of "));
        Run list = world.run("dlq", "--job-id", jobId, "--stage", "validate", "--since", "10m");
        assertThat(list.exitCode()).isZero();
        assertThat(list.out()).contains("job " + jobId, "stage=validate", "InvalidRequestException", "top_p");
        assertThat(world.run("dlq", "--job-id", jobId, "--error-class", "NoSuchException").out()).contains("0 of ");
        assertThat(world.run("dlq", "--job-id", jobId, "--until", "10m").out()).contains("0 of ");

        Run dryRun = world.run("dlq", "replay", "--job-id", jobId, "--dry-run");
        assertThat(dryRun.out()).contains("1 dead letters would be replayed");
        Run replay = world.run("dlq", "replay", "--job-id", jobId, "--error-class", "InvalidRequestException");
        assertThat(replay.exitCode()).as(replay.err()).isZero();
        assertThat(replay.out()).contains("replayed job " + jobId, "1 dead letters replayed");

        List<ConsumerRecord<byte[], byte[]>> requests = recordsWithKey(world.topics.get(TopicKind.REQUESTS), jobId, 2);
        ConsumerRecord<byte[], byte[]> original = requests.get(0);
        ConsumerRecord<byte[], byte[]> replayed = requests.get(1);
        assertThat(replayed.value()).isEqualTo(original.value());
        assertThat(headerNames(replayed)).containsExactly("traceparent").doesNotContain("__connect.errors.stage");
        // the replayed job is invalid again, so it is dead-lettered again
        await().atMost(CliWorld.patience()).untilAsserted(() ->
                assertThat(world.run("dlq", "--job-id", jobId).out()).contains("2 of "));
    }

    @Test
    void dlqReplaySendsDeadLetteredVotesToTheVoteTopicAndJobsToTheRequestTopic() throws Exception {
        String votedId = "replay-vote-" + UUID.randomUUID();
        String invalidId = "replay-job-" + UUID.randomUUID();
        String requestTopic = world.topics.get(TopicKind.REQUESTS);
        String voteTopic = world.topics.get(TopicKind.VOTE_REQUESTS);
        // a vote on a job that does not exist yet: the worker dead-letters it (stage join, unknown_job) after the
        // wait window, into the same dead-letter topic as jobs
        Run vote = world.run("vote", votedId, "up", "--voter", "early-bird");
        assertThat(vote.exitCode()).as(vote.err()).isZero();
        Run invalid = world.run("send", "-p", CliWorld.PROVIDER, "--job-id", invalidId, "--top-p", "1.5", "--wait",
                "Dead letter me too");
        assertThat(invalid.exitCode()).isEqualTo(1);
        await().atMost(CliWorld.patience()).untilAsserted(() -> assertThat(world.run("dlq", "--job-id", votedId,
                "--stage", "join", "--error-code", "unknown_job").out()).contains("1 of ", "from " + voteTopic + "-"));
        await().atMost(CliWorld.patience()).untilAsserted(() ->
                assertThat(world.run("dlq", "--job-id", invalidId).out()).contains("1 of "));
        JsonNode letter = JSON.readTree(world.run("dlq", "--job-id", votedId, "--json").out().strip());
        assertThat(letter.get("origin_topic").asText()).isEqualTo(voteTopic);
        assertThat(letter.get("request").get("voter").asText()).isEqualTo("early-bird"); // a vote, decoded as one
        Run tailed = world.run("tail", "dlq", "--from-beginning", "--job-id", votedId, "--max", "1", "--json",
                "--timeout", "20s");
        assertThat(JSON.readTree(tailed.out().strip()).get("value").get("vote").asText()).isEqualTo("UP");

        // now the job exists, so the replayed vote can be joined with its result
        Run job = world.run("send", "-p", CliWorld.PROVIDER, "--job-id", votedId, "--wait", "Now I exist");
        assertThat(job.exitCode()).as(job.out() + job.err()).isZero();

        Run dryRun = world.run("dlq", "replay", "--job-id", votedId + "," + invalidId, "--dry-run");
        assertThat(dryRun.exitCode()).as(dryRun.err()).isZero();
        assertThat(dryRun.out()).containsPattern("would replay job " + votedId + " from \\S+ to " + voteTopic + "\n")
                .containsPattern("would replay job " + invalidId + " from \\S+ to " + requestTopic + "\n")
                .contains("2 dead letters would be replayed (");
        Run replay = world.run("dlq", "replay", "--job-id", votedId, "--job-id", invalidId);
        assertThat(replay.exitCode()).as(replay.out() + replay.err()).isZero();
        assertThat(replay.out()).containsPattern("replayed job " + votedId + " from \\S+ to " + voteTopic + "-\\d+@")
                .containsPattern("replayed job " + invalidId + " from \\S+ to " + requestTopic + "-\\d+@")
                .contains("2 dead letters replayed (").contains("1 to " + voteTopic, "1 to " + requestTopic);

        List<ConsumerRecord<byte[], byte[]>> votes = recordsWithKey(voteTopic, votedId, 2);
        assertThat(votes).hasSize(2);
        assertThat(votes.get(1).value()).isEqualTo(votes.get(0).value());
        assertThat(headerNames(votes.get(1))).noneMatch(name -> name.startsWith("__connect.errors."));
        assertThat(recordsWithKey(requestTopic, invalidId, 2)).hasSize(2);
        // nothing went where it does not belong: the vote is not a request, the job is not a vote
        assertThat(allRecordsWithKey(requestTopic, votedId)).hasSize(1); // the job sent above
        assertThat(allRecordsWithKey(voteTopic, invalidId)).isEmpty();
        // the replayed vote is a vote again: the worker joins it with the job's result
        Run joined = world.run("tail", "votes", "--from-beginning", "--job-id", votedId, "--max", "1",
                "--timeout", "30s");
        assertThat(joined.exitCode()).as(joined.err()).isZero();
        assertThat(joined.out()).startsWith("vote  " + votedId + "  UP  sim/cli-default  job=SUCCEEDED");
    }

    @Test
    void dlqReplaySkipsLettersWithNoOrExistingOriginUnlessToIsGiven() throws Exception {
        String noOrigin = "no-origin-" + UUID.randomUUID();
        String goneOrigin = "gone-origin-" + UUID.randomUUID();
        String goneTopic = world.prefix + ".gone-" + UUID.randomUUID();
        produceDeadLetter(noOrigin, Map.of("__connect.errors.stage", "decode", "traceparent", "00-1-2-01"));
        produceDeadLetter(goneOrigin, Map.of("__connect.errors.stage", "decode", "__connect.errors.topic", goneTopic));

        Run replay = world.run("dlq", "replay", "--job-id", noOrigin + "," + goneOrigin);
        assertThat(replay.exitCode()).as(replay.err()).isEqualTo(1);
        assertThat(replay.out()).contains("skipped job " + noOrigin + " at ", "no __connect.errors.topic header",
                "skipped job " + goneOrigin + " at ", "topic " + goneTopic + " does not exist",
                "0 dead letters replayed; 2 skipped");
        Run tailGone = world.run("tail", goneTopic, "--max", "1", "--timeout", "1s");
        assertThat(tailGone.err()).contains("topic '" + goneTopic + "' does not exist"); // replay created nothing

        String elsewhere = world.prefix + ".replayed";
        world.stack.kafka().createTopic(elsewhere, 1);
        Run forced = world.run("dlq", "replay", "--job-id", noOrigin + "," + goneOrigin, "--to", elsewhere);
        assertThat(forced.exitCode()).as(forced.out() + forced.err()).isZero();
        assertThat(forced.out()).contains("2 dead letters replayed (2 to " + elsewhere + ")");
        assertThat(headerNames(recordsWithKey(elsewhere, noOrigin, 1).get(0))).containsExactly("traceparent");
    }

    @Test
    void tailTakesTopicNamesAsWellAsKinds() throws Exception {
        String jobId = "tail-name-" + UUID.randomUUID();
        Run sent = world.run("send", "-p", CliWorld.PROVIDER, "--job-id", jobId, "--wait", "Tail me by name");
        assertThat(sent.exitCode()).as(sent.out() + sent.err()).isZero();
        String resultTopic = world.topics.get(TopicKind.RESULTS);
        Run byName = world.run("tail", resultTopic, "--from-beginning", "--job-id", jobId, "--max", "1",
                "--timeout", "20s");
        assertThat(byName.exitCode()).as(byName.err()).isZero();
        assertThat(byName.out()).startsWith("result  " + jobId + "  SUCCEEDED  sim/cli-default");
        Run byKind = world.run("tail", "RESULTS", "--from-beginning", "--job-id", jobId, "--max", "1",
                "--timeout", "20s");
        assertThat(byKind.out()).isEqualTo(byName.out());

        // a topic that is none of the configured ones: decoded by each record's schema
        String copy = world.prefix + ".results-copy";
        world.stack.kafka().createTopic(copy, 1);
        ConsumerRecord<byte[], byte[]> result = recordsWithKey(resultTopic, jobId, 1).get(0);
        Schema foreign = SchemaBuilder.record("Greeting").namespace("com.example.other").fields()
                .requiredString("greeting").endRecord();
        GenericRecord greeting = new GenericRecordBuilder(foreign).set("greeting", "hello from elsewhere").build();
        try (KafkaProducer<byte[], byte[]> producer = producer();
             KafkaAvroSerializer avro = new KafkaAvroSerializer()) {
            avro.configure(Map.of("schema.registry.url", world.stack.registry().url()), false);
            producer.send(new ProducerRecord<>(copy, result.key(), result.value())).get();
            producer.send(new ProducerRecord<>(copy, result.key(), avro.serialize(copy, greeting))).get();
            producer.send(new ProducerRecord<>(copy, result.key(), "not avro".getBytes(StandardCharsets.UTF_8))).get();
        }
        Run other = world.run("tail", copy, "--from-beginning", "--max", "3", "--json", "--timeout", "20s");
        assertThat(other.exitCode()).as(other.err()).isZero();
        List<JsonNode> records = other.out().lines().map(this::json).toList();
        assertThat(records.get(0).get("value").get("status").asText()).isEqualTo("SUCCEEDED"); // one of ours
        assertThat(records.get(1).get("value").get("greeting").asText()).isEqualTo("hello from elsewhere");
        assertThat(records.get(2).get("value").isNull()).isTrue();
        assertThat(records.get(2).get("error").asText()).contains("BadMagicByte");
        Run lines = world.run("tail", copy, "--from-beginning", "--max", "3", "--timeout", "20s");
        assertThat(lines.out().lines().toList()).satisfiesExactly(
                line -> assertThat(line).startsWith("result  " + jobId + "  SUCCEEDED"),
                line -> assertThat(line).contains("hello from elsewhere"),
                line -> assertThat(line).startsWith("undecodable  " + copy + "-0@2  BadMagicByteException"));

        Run missing = world.run("tail", "no-such-topic-" + UUID.randomUUID(), "--max", "1", "--timeout", "1s");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("does not exist");
    }

    @Test
    void loadSendsJobsRoundRobinAndPrintsLatencyPercentiles() {
        Run run = world.run("load", "--count", "30", "--rate", "200", "-p", CliWorld.PROVIDER,
                "-m", "cli-load-a,cli-load-b", "--timeout", "30s");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("load: 30 jobs to sim (models cli-load-a,cli-load-b) at 200.0/s",
                "results: 30 of 30", "SUCCEEDED 30", "p50 ", "p90 ", "p99 ", "max ");
        assertThat(world.stack.simulator().totalRequestsForModel("cli-load-a")).isEqualTo(15);
        assertThat(world.stack.simulator().totalRequestsForModel("cli-load-b")).isEqualTo(15);
    }

    private static List<ConsumerRecord<byte[], byte[]>> recordsWithKey(String topic, String key, int expected) {
        List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of("bootstrap.servers", world.stack.kafka().bootstrapServers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await().atMost(CliWorld.patience()).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (key.equals(new String(r.key(), StandardCharsets.UTF_8))) {
                        found.add(r);
                    }
                });
                return found.size() >= expected;
            });
        }
        return found;
    }

    /** Every record of {@code topic} with this key, up to the topic's current end. */
    private static List<ConsumerRecord<byte[], byte[]>> allRecordsWithKey(String topic, String key) {
        List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of("bootstrap.servers", world.stack.kafka().bootstrapServers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            await().atMost(CliWorld.patience()).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.key() != null && key.equals(new String(r.key(), StandardCharsets.UTF_8))) {
                        found.add(r);
                    }
                });
                return ends.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
            });
        }
        return found;
    }

    private static void produceDeadLetter(String key, Map<String, String> headers) throws Exception {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(world.topics.get(TopicKind.DLQ),
                key.getBytes(StandardCharsets.UTF_8), "opaque".getBytes(StandardCharsets.UTF_8));
        headers.forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            producer.send(record).get();
        }
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(Map.of("bootstrap.servers", world.stack.kafka().bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    private JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> headerNames(ConsumerRecord<byte[], byte[]> record) {
        List<String> names = new ArrayList<>();
        for (Header header : record.headers()) {
            names.add(header.key());
        }
        return names;
    }
}
