package io.inferenceworker.feedback;

import static io.inferenceworker.feedback.VotesWorld.header;
import static io.inferenceworker.feedback.VotesWorld.key;
import static io.inferenceworker.feedback.VotesWorld.vote;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inferenceworker.publish.DeadLetters;
import io.inferenceworker.schemas.ForwardStatus;
import io.inferenceworker.schemas.Vote;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The results table keeps a job for {@code votes.job-retention} after its result, then forgets it; it is restored from
 * the results topic and has no changelog of its own.
 */
class VotesRetentionTest {
    private static final Duration RETENTION = Duration.ofSeconds(4);
    private static VotesWorld world;
    private static VotesService votes;

    @BeforeAll
    static void startWorker() {
        world = new VotesWorld("votes-retention", 2);
        votes = world.startVotingWorker(world.prefix + "-w1",
                Map.of("votes.job-retention", RETENTION.toMillis() + "ms", "votes.wait-window", "2s"))
                .getBean(VotesService.class);
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    @Test
    void retentionDeletesAJobsFactsAndALaterVoteOnItIsDeadLetteredAsUnknownJob() {
        String jobId = world.prefix + "-expiring";
        world.send(VotesFlowTest.fabricatedResult(jobId, "nscale", "chatcmpl-expiring"));
        await().atMost(Duration.ofSeconds(60)).until(() -> votes.holdsResultOf(jobId));

        // Deleted by the retention walk alone: no vote looked the job up.
        await().atMost(RETENTION.plusSeconds(30)).until(() -> !votes.holdsResultOf(jobId));

        world.send(vote(jobId, Vote.UP).build());
        assertUnknownJob(jobId);
    }

    @Test
    void aVoteOnAJobWhoseResultIsOlderThanTheRetentionIsDeadLetteredAsUnknownJob() {
        String jobId = world.prefix + "-old";
        // Read before the vote arrives. Not awaited through the table: its retention walk (every 200 ms here) may
        // remove the expired result before a poll sees it there (a CI run missed it, 8 Dec 2026).
        world.awaitProcessed(world.send(VotesFlowTest.fabricatedResult(jobId, "nscale", "chatcmpl-old"),
                System.currentTimeMillis() - Duration.ofHours(1).toMillis()));
        world.send(vote(jobId, Vote.UP).build());
        assertUnknownJob(jobId);
        assertThat(votes.holdsResultOf(jobId)).isFalse();
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

    /**
     * A result costs the votes component no write of its own: the results table's changelog is the results topic,
     * while the pending-votes store (written only for votes) keeps its changelog.
     */
    @Test
    void theResultsTableWritesNoChangelogOfItsOwn() throws Exception {
        String jobId = world.prefix + "-no-changelog";
        world.send(vote(jobId, Vote.UP).build());
        world.awaitPending(jobId);
        world.send(VotesFlowTest.fabricatedResult(jobId, "nscale", "chatcmpl-no-changelog"));
        world.awaitVoteRecord(jobId, 1);

        try (Admin admin = Admin.create(Map.of("bootstrap.servers", world.stack.kafka().bootstrapServers()))) {
            Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            assertThat(topics).contains(world.pendingChangelog())
                    .noneMatch(t -> t.endsWith(VotesTopology.JOBS_STORE + "-changelog"));
        }
    }
}
