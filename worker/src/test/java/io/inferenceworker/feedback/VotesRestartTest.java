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
import io.micronaut.context.ApplicationContext;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

/** A worker restart in between loses no vote: pending votes live in a changelogged store. */
class VotesRestartTest {

    @Test
    void votesPendingOrSentDuringARestartAreAllRecorded() {
        try (VotesWorld world = new VotesWorld("votes-restart", 2)) {
            String parked = world.prefix + "-parked";
            String done = world.prefix + "-done";

            ApplicationContext first = world.startVotingWorker(world.prefix + "-w1", Map.of());
            world.send(request(done, "vultr", "kimi-k2-instruct"));
            CompletionResult doneResult = world.awaitResult(done);
            world.send(vote(parked, Vote.UP).setVoter("alice").setComment("first").build());
            world.send(vote(parked, Vote.DOWN).setVoter("bob").setComment("parked").build());
            await().atMost(Duration.ofSeconds(60)).until(() -> world.parkedVotes(parked) == 2);
            world.stopWorker(first);

            // While no worker runs: the parked vote's job is requested, and another job gets a vote.
            world.send(request(parked, "vultr", "kimi-k2-instruct"));
            world.send(vote(done, Vote.UP).build());

            // A new worker (new ID, empty state directory) restores the pending vote from the changelog.
            world.startVotingWorker(world.prefix + "-w2", Map.of());
            CompletionResult parkedResult = world.awaitResult(parked);
            VoteRecord parkedVote = world.awaitVoteRecord(parked, 2);
            assertThat(world.voteRecords(parked)).extracting(VoteRecord::getVoter).containsExactly("alice", "bob");
            assertThat(parkedVote.getComment()).isEqualTo("parked");
            assertThat(parkedVote.getResponseId()).isEqualTo(parkedResult.getResponseId());
            assertThat(parkedVote.getForwardStatus()).isEqualTo(ForwardStatus.FORWARDED);
            assertThat(world.stack.simulator().voteFor(parkedResult.getResponseId())).contains("down");

            VoteRecord doneVote = world.awaitVoteRecord(done, 1);
            assertThat(doneVote.getResponseId()).isEqualTo(doneResult.getResponseId());
            assertThat(doneVote.getForwardStatus()).isEqualTo(ForwardStatus.FORWARDED);
            assertThat(world.stack.simulator().voteFor(doneResult.getResponseId())).contains("up");
            assertThat(world.deadLetters(key(parked))).isEmpty();
            assertThat(world.deadLetters(key(done))).isEmpty();
        }
    }

    /** A worker of the old layout kept one pending vote per job under the bare job ID: an upgrade keeps it. */
    @Test
    void aVoteParkedByTheOldStoreLayoutIsRecordedAfterAnUpgrade() {
        try (VotesWorld world = new VotesWorld("votes-upgrade", 2)) {
            String jobId = world.prefix + "-legacy";
            int partition = Utils.toPositive(Utils.murmur2(key(jobId))) % 2;
            PendingVote legacy = new PendingVote(world.voteRequests, partition, 0L, System.currentTimeMillis(),
                    key(jobId), world.serialize(vote(jobId, Vote.UP).setComment("old layout").build()), List.of(),
                    System.currentTimeMillis());
            String changelog = world.pendingChangelog();
            world.stack.kafka().createTopic(changelog, 2, Map.of("cleanup.policy", "compact"));
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                    Map.of("bootstrap.servers", world.stack.kafka().bootstrapServers()),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(changelog, partition, key(jobId),
                        new JsonSerde<>(PendingVote.class).serializer().serialize(changelog, legacy)));
            }

            world.startVotingWorker(world.prefix + "-w1", Map.of());
            world.send(VotesFlowTest.fabricatedResult(jobId, "nscale", "chatcmpl-legacy"));
            VoteRecord record = world.awaitVoteRecord(jobId, 1);
            assertThat(record.getComment()).isEqualTo("old layout");
            assertThat(record.getForwardStatus()).isEqualTo(ForwardStatus.NOT_SUPPORTED);
            // Moved to the new layout, then removed once recorded.
            await().atMost(Duration.ofSeconds(30)).until(() -> world.collector(changelog).records().stream()
                    .anyMatch(r -> r.key() != null && Arrays.equals(r.key(), key(jobId)) && r.value() == null));
            assertThat(world.deadLetters(key(jobId))).isEmpty();
        }
    }
}
