package io.inferenceworker.feedback;

import static io.inferenceworker.feedback.VotesWorld.key;
import static io.inferenceworker.feedback.VotesWorld.request;
import static io.inferenceworker.feedback.VotesWorld.vote;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inferenceworker.schemas.CompletionResult;
import io.inferenceworker.schemas.ForwardStatus;
import io.inferenceworker.schemas.Vote;
import io.inferenceworker.schemas.VoteRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Several users voting on one job: every vote ends in its own VoteRecord, none replaces another. */
class VotesManyVotersTest {

    @Test
    void twoVotersOnEachOfTenJobsBeforeTheResultsGiveTwentyVoteRecords() {
        try (VotesWorld world = new VotesWorld("votes-many", 2)) {
            world.startVotingWorker(world.prefix + "-w1", Map.of());
            List<String> jobs = IntStream.range(0, 10).mapToObj(i -> world.prefix + "-job-" + i).toList();
            for (String jobId : jobs) {
                world.send(vote(jobId, Vote.UP).setVoter("alice").setComment("alice on " + jobId).build());
                world.send(vote(jobId, Vote.DOWN).setVoter("bob").setComment("bob on " + jobId).build());
            }
            // Both votes of every job are parked before any result exists.
            await().atMost(Duration.ofSeconds(60)).until(() -> jobs.stream().allMatch(j -> world.parkedVotes(j) == 2));
            assertThat(jobs).allSatisfy(j -> assertThat(world.voteRecords(j)).isEmpty());

            jobs.forEach(jobId -> world.send(request(jobId, "vultr", "kimi-k2-instruct")));
            await().atMost(Duration.ofSeconds(90)).until(() -> jobs.stream()
                    .mapToInt(j -> world.voteRecords(j).size()).sum() >= 20);

            // A later control vote is recorded: by then, any extra record of the twenty would be there too.
            String control = world.prefix + "-control";
            world.send(VotesFlowTest.fabricatedResult(control, "nscale", "chatcmpl-control"));
            world.send(vote(control, Vote.UP).build());
            world.awaitVoteRecord(control, 1);
            for (String jobId : jobs) {
                List<VoteRecord> records = world.voteRecords(jobId);
                CompletionResult result = world.awaitResult(jobId);
                assertThat(records).extracting(VoteRecord::getVoter).containsExactly("alice", "bob");
                assertThat(records).extracting(VoteRecord::getVote).containsExactly(Vote.UP, Vote.DOWN);
                assertThat(records).extracting(VoteRecord::getComment)
                        .containsExactly("alice on " + jobId, "bob on " + jobId);
                assertThat(records).allSatisfy(r -> {
                    assertThat(r.getResponseId()).isEqualTo(result.getResponseId());
                    assertThat(r.getForwardStatus()).isEqualTo(ForwardStatus.FORWARDED);
                });
                // Forwarded in order: the provider ends with the newest vote.
                assertThat(world.stack.simulator().voteFor(result.getResponseId())).contains("down");
                assertThat(world.deadLetters(key(jobId))).isEmpty();
            }
            // Every parked vote was removed from the pending store once recorded.
            List<ConsumerRecord<byte[], byte[]>> changelog = world.collector(world.pendingChangelog()).records();
            Set<String> parked = keys(changelog, false).stream()
                    .filter(k -> jobs.contains(PendingVotes.jobIdOf(k).orElseThrow())).collect(Collectors.toSet());
            assertThat(parked).hasSize(20);
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    keys(world.collector(world.pendingChangelog()).records(), true).containsAll(parked));
        }
    }

    /** Keys of the changelog's records: tombstones if {@code tombstones}, else values. */
    private static Set<String> keys(List<ConsumerRecord<byte[], byte[]>> changelog, boolean tombstones) {
        return changelog.stream().filter(r -> (r.value() == null) == tombstones)
                .map(r -> new String(r.key(), StandardCharsets.UTF_8)).collect(Collectors.toSet());
    }
}
