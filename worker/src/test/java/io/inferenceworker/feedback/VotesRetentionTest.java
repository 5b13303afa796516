package io.inferenceworker.feedback;

import static io.inferenceworker.feedback.VotesWorld.header;
import static io.inferenceworker.feedback.VotesWorld.key;
import static io.inferenceworker.feedback.VotesWorld.vote;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inferenceworker.it.TopicCollector;
import io.inferenceworker.publish.DeadLetters;
import io.inferenceworker.schemas.ForwardStatus;
import io.inferenceworker.schemas.Vote;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The jobs table keeps a job for {@code votes.job-retention} after its result, then forgets it. */
class VotesRetentionTest {
    private static final Duration RETENTION = Duration.ofSeconds(4);
    private static VotesWorld world;

    @BeforeAll
    static void startWorker() {
        world = new VotesWorld("votes-retention", 2);
        world.startVotingWorker(world.prefix + "-w1",
                Map.of("votes.job-retention", RETENTION.toMillis() + "ms", "votes.wait-window", "2s"));
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    @Test
    void retentionDeletesAJobsFactsAndALaterVoteOnItIsDeadLetteredAsUnknownJob() {
        String jobId = world.prefix + "-expiring";
        world.send(VotesFlowTest.fabricatedResult(jobId, "nscale", "chatcmpl-expiring"));
        TopicCollector jobs = world.collector(world.jobsChangelog());
        await().atMost(Duration.ofSeconds(60)).until(() -> hasFacts(jobs, jobId));

        // Deleted by the retention walk alone: no vote looked the job up.
        await().atMost(RETENTION.plusSeconds(30)).until(() -> isDeleted(jobs, jobId));

        world.send(vote(jobId, Vote.UP).build());
        assertUnknownJob(jobId);
    }

    @Test
    void aVoteOnAJobWhoseResultIsOlderThanTheRetentionIsDeadLetteredAsUnknownJob() {
        String jobId = world.prefix + "-old";
        world.send(VotesFlowTest.fabricatedResult(jobId, "nscale", "chatcmpl-old"),
                System.currentTimeMillis() - Duration.ofHours(1).toMillis());
        await().atMost(Duration.ofSeconds(60)).until(() -> hasFacts(world.collector(world.jobsChangelog()), jobId));
        world.send(vote(jobId, Vote.UP).build());
        assertUnknownJob(jobId);
        assertThat(isDeleted(world.collector(world.jobsChangelog()), jobId)).isTrue();
    }

    @Test
    void aJobWithinTheRetentionIsStillVotedOn() {
        String jobId = world.prefix + "-fresh";
        world.send(vote(jobId, Vote.UP).build());
        world.awaitPending(jobId);
        world.send(VotesFlowTest.fabricatedResult(jobId, "nscale", "chatcmpl-fresh"));
        assertThat(world.awaitVoteRecord(jobId, 1).getForwardStatus()).isEqualTo(ForwardStatus.NOT_SUPPORTED);
        assertThat(world.deadLetters(key(jobId))).isEmpty();
    }

    private static void assertUnknownJob(String jobId) {
        await().atMost(Duration.ofSeconds(60)).until(() -> world.deadLetters(key(jobId)).size() == 1);
        ConsumerRecord<byte[], byte[]> letter = world.deadLetters(key(jobId)).get(0);
        assertThat(header(letter, DeadLetters.STAGE)).isEqualTo("join");
        assertThat(header(letter, DeadLetters.ERROR_CODE)).isEqualTo(VoteDeadLetters.UNKNOWN_JOB);
        assertThat(world.voteRecords(jobId)).isEmpty();
    }

    private static boolean hasFacts(TopicCollector changelog, String jobId) {
        return changelog.records().stream().anyMatch(r -> is(r, jobId) && r.value() != null);
    }

    /** Whether the job's last change in the jobs table is a deletion. */
    private static boolean isDeleted(TopicCollector changelog, String jobId) {
        var changes = changelog.records().stream().filter(r -> is(r, jobId)).toList();
        return !changes.isEmpty() && changes.getLast().value() == null;
    }

    private static boolean is(ConsumerRecord<byte[], byte[]> r, String jobId) {
        return Arrays.equals(r.key(), jobId.getBytes(StandardCharsets.UTF_8));
    }
}
