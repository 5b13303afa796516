package io.inferenceworker.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inferenceworker.config.KafkaSettings;
import io.inferenceworker.config.WorkerSettings;
import io.inferenceworker.schemas.VoteRecord;
import io.inferenceworker.serde.SpecificAvroSerde;
import io.micronaut.context.ApplicationContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/** Configuration and the component's own state formats, without Kafka. */
class VotesSettingsTest {

    @Test
    void defaultsDeriveFromTheGroupAndTheWorkerId() {
        VotesSettings votes = new VotesSettings();
        KafkaSettings kafka = new KafkaSettings();
        kafka.setGroupId("team-a");
        kafka.setProperties(Map.of("security.protocol", "SASL_SSL"));
        WorkerSettings worker = new WorkerSettings();
        worker.setId("host/1:2");

        Map<String, Object> props = VotesFactory.streamsProperties(votes, kafka, worker, votes.applicationId(kafka));

        assertThat(votes.isEnabled()).isTrue();
        assertThat(votes.getWaitWindow()).isEqualTo(Duration.ofMinutes(5));
        assertThat(votes.getJobRetention()).isEqualTo(VotesSettings.DEFAULT_JOB_RETENTION)
                .isEqualTo(Duration.ofDays(7));
        assertThat(props).containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "team-a-votes")
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
                .containsEntry(StreamsConfig.CLIENT_ID_CONFIG, "host/1:2-votes")
                .containsEntry("main.consumer.fetch.min.bytes", "65536")
                .containsEntry("main.consumer.fetch.max.wait.ms", "100")
                .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "1000")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaSettings.DEFAULT_BOOTSTRAP_SERVERS);
        assertThat(props.get(StreamsConfig.STATE_DIR_CONFIG)).isEqualTo(Path.of(System.getProperty("java.io.tmpdir"),
                "inference-worker-votes", "host_1_2").toString());
    }

    @Test
    void explicitSettingsAndStreamsPropertiesWin() {
        VotesSettings votes = new VotesSettings();
        votes.setApplicationId("my-votes");
        votes.setStateDir("/var/lib/votes");
        votes.setStreams(Map.of(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE,
                StreamsConfig.NUM_STREAM_THREADS_CONFIG, "2"));
        KafkaSettings kafka = new KafkaSettings();

        Map<String, Object> props = VotesFactory.streamsProperties(votes, kafka, new WorkerSettings(),
                votes.applicationId(kafka));

        assertThat(props).containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "my-votes")
                .containsEntry(StreamsConfig.STATE_DIR_CONFIG, Path.of("/var/lib/votes").toString())
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE)
                .containsEntry(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "2");
    }

    @Test
    void bindsFromConfiguration() {
        try (ApplicationContext context = ApplicationContext.builder().deduceEnvironment(false).properties(Map.of(
                "worker.enabled", "false",
                "votes.wait-window", "90s",
                "votes.job-retention", "2d",
                "votes.application-id", "feedback",
                "votes.state-dir", "/data/votes",
                "votes.streams.num.stream.threads", "3",
                "votes.streams.processing.guarantee", "at_least_once")).start()) {
            VotesSettings votes = context.getBean(VotesSettings.class);
            assertThat(votes.getWaitWindow()).isEqualTo(Duration.ofSeconds(90));
            assertThat(votes.getJobRetention()).isEqualTo(Duration.ofDays(2));
            assertThat(votes.getApplicationId()).isEqualTo("feedback");
            assertThat(votes.getStateDir()).isEqualTo("/data/votes");
            assertThat(votes.getStreams()).containsEntry("num.stream.threads", "3")
                    .containsEntry("processing.guarantee", "at_least_once");
        }
    }

    @Test
    void theWaitWindowMustBePositive() {
        VotesSettings votes = new VotesSettings();
        assertThatThrownBy(() -> votes.setWaitWindow(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("votes.wait-window");
        assertThat(VoteJoiner.sweepInterval(Duration.ofMinutes(5))).isEqualTo(Duration.ofSeconds(5));
        assertThat(VoteJoiner.sweepInterval(Duration.ofSeconds(2))).isEqualTo(Duration.ofMillis(200));
        assertThat(VoteJoiner.sweepInterval(Duration.ofMillis(300))).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void theJobRetentionMustBePositiveAndSetsTheExpiryPace() {
        VotesSettings votes = new VotesSettings();
        assertThatThrownBy(() -> votes.setJobRetention(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("votes.job-retention");
        assertThat(JobTable.expiryInterval(Duration.ofDays(7))).isEqualTo(Duration.ofSeconds(5));
        assertThat(JobTable.expiryInterval(Duration.ofSeconds(4))).isEqualTo(Duration.ofMillis(200));
        assertThat(JobTable.expiryInterval(Duration.ofSeconds(1))).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void aPendingVoteKeyNamesItsJobAndSortsTheJobsVotesByOffset() {
        PendingVote early = pendingAt(9);
        PendingVote late = pendingAt(10);
        String jobId = "job\u00001";
        assertThat(PendingVotes.jobIdOf(PendingVotes.keyOf(jobId, early))).contains(jobId);
        assertThat(PendingVotes.keyOf(jobId, early)).isLessThan(PendingVotes.keyOf(jobId, late));
        // A key of the old layout (the bare job ID) is recognised as such.
        assertThat(PendingVotes.jobIdOf("job-1")).isEmpty();
        assertThat(PendingVotes.jobIdOf("job\u00001")).isEmpty();
    }

    private static PendingVote pendingAt(long offset) {
        return new PendingVote("votes.requests", 0, offset, 0L, null, null, List.of(), 0L);
    }

    @Test
    void resultsAndVotesMeetInOneSubTopologySoEachTaskSeesBothOfAPartition() {
        ProcessorSupplier<String, VoteEvent, String, VoteOutput> joiner = () -> new Processor<>() {
            @Override
            public void process(Record<String, VoteEvent> record) {
                // the topology's shape is under test, not the joiner
            }
        };
        TopologyDescription description = VotesTopology.build(
                new VotesTopology.Topics("results", "vote-requests", "votes", "dlq"),
                new SpecificAvroSerde<>(VoteRecord.class), joiner)
                .describe();

        assertThat(description.subtopologies()).hasSize(1);
        TopologyDescription.Subtopology only = description.subtopologies().iterator().next();
        assertThat(only.nodes()).filteredOn(n -> n instanceof TopologyDescription.Source)
                .flatExtracting(n -> ((TopologyDescription.Source) n).topicSet())
                .containsExactlyInAnyOrder("results", "vote-requests");
        assertThat(only.nodes()).filteredOn(n -> n instanceof TopologyDescription.Sink)
                .extracting(n -> ((TopologyDescription.Sink) n).topic()).containsExactlyInAnyOrder("votes", "dlq");
        assertThat(only.nodes()).filteredOn(n -> n.name().equals("vote-joiner"))
                .flatExtracting(n -> ((TopologyDescription.Processor) n).stores())
                .containsExactlyInAnyOrder(VotesTopology.JOBS_STORE, VotesTopology.PENDING_STORE);
    }

    @Test
    void aPendingVoteSurvivesItsStoreFormatByteForByte() {
        JsonSerde<PendingVote> serde = new JsonSerde<>(PendingVote.class);
        PendingVote vote = new PendingVote("votes.requests", 3, 42L, 1_700_000_000_000L,
                "job-1".getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, 0, 0, 7, (byte) 0xff},
                List.of(new PendingVote.HeaderEntry("traceparent", "00-ab".getBytes(StandardCharsets.UTF_8)),
                        new PendingVote.HeaderEntry("empty", null)), 1_700_000_000_500L);

        PendingVote back = serde.deserializer().deserialize("t", serde.serializer().serialize("t", vote));

        assertThat(back.sameRecordAs(vote)).isTrue();
        assertThat(back.key()).isEqualTo(vote.key());
        assertThat(back.value()).isEqualTo(vote.value());
        assertThat(back.arrivedAt()).isEqualTo(vote.arrivedAt());
        assertThat(back.header("traceparent")).contains("00-ab");
        ConsumerRecord<byte[], byte[]> source = back.asConsumerRecord();
        assertThat(source.topic()).isEqualTo("votes.requests");
        assertThat(source.partition()).isEqualTo(3);
        assertThat(source.offset()).isEqualTo(42L);
        assertThat(source.timestamp()).isEqualTo(1_700_000_000_000L);
        assertThat(source.headers().lastHeader("empty").value()).isNull();
    }
}
