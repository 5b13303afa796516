package io.inferenceworker.feedback;

import static io.inferenceworker.feedback.VotesWorld.key;
import static io.inferenceworker.feedback.VotesWorld.request;
import static io.inferenceworker.feedback.VotesWorld.vote;
import static org.assertj.core.api.Assertions.assertThat;

import io.inferenceworker.schemas.CompletionResult;
import io.inferenceworker.schemas.ForwardStatus;
import io.inferenceworker.schemas.Vote;
import io.inferenceworker.schemas.VoteRecord;
import io.micronaut.context.ApplicationContext;
import java.util.Map;
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
            world.send(vote(parked, Vote.DOWN).setComment("parked").build());
            world.awaitPending(parked);
            world.stopWorker(first);

            // While no worker runs: the parked vote's job is requested, and another job gets a vote.
            world.send(request(parked, "vultr", "kimi-k2-instruct"));
            world.send(vote(done, Vote.UP).build());

            // A new worker (new ID, empty state directory) restores the pending vote from the changelog.
            world.startVotingWorker(world.prefix + "-w2", Map.of());
            CompletionResult parkedResult = world.awaitResult(parked);
            VoteRecord parkedVote = world.awaitVoteRecord(parked, 1);
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
}
