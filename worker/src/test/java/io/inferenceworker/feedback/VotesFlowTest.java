package io.inferenceworker.feedback;

import static io.inferenceworker.feedback.VotesWorld.header;
import static io.inferenceworker.feedback.VotesWorld.key;
import static io.inferenceworker.feedback.VotesWorld.request;
import static io.inferenceworker.feedback.VotesWorld.vote;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inferenceworker.publish.DeadLetters;
import io.inferenceworker.schemas.CompletionResult;
import io.inferenceworker.schemas.CompletionStatus;
import io.inferenceworker.schemas.ForwardStatus;
import io.inferenceworker.schemas.Vote;
import io.inferenceworker.schemas.VoteRecord;
import io.inferenceworker.testkit.sim.Behaviour;
import io.inferenceworker.testkit.sim.Dialect;
import io.inferenceworker.testkit.sim.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Votes end to end on one running worker: embedded Kafka and registry, provider simulator, Kafka Streams. */
class VotesFlowTest {
    private static VotesWorld world;

    @BeforeAll
    static void startWorker() {
        world = new VotesWorld("votes", 2);
        world.startVotingWorker(world.prefix + "-w1", Map.of());
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    private static String job(String name) {
        return world.prefix + "-" + name;
    }

    @Test
    void aVoteAfterTheResultIsForwardedToVultrWithTheProvidersResponseIdAndRecorded() {
        String jobId = job("vultr-after");
        world.send(request(jobId, "vultr", "kimi-k2-instruct"));
        CompletionResult result = world.awaitResult(jobId);
        assertThat(result.getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
        assertThat(result.getResponseId()).isNotBlank();

        Instant votedAt = Instant.parse("2026-01-02T03:04:05Z");
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        world.send(vote(jobId, Vote.DOWN).setComment("wrong answer").setVoter("user-7").setVotedAt(votedAt)
                        .setMetadata(Map.of("ticket", "T-1")).build(),
                List.of(new RecordHeader("traceparent", traceparent.getBytes(StandardCharsets.UTF_8))));

        VoteRecord record = world.awaitVoteRecord(jobId, 1);
        assertThat(record.getJobId()).isEqualTo(jobId);
        assertThat(record.getVote()).isEqualTo(Vote.DOWN);
        assertThat(record.getComment()).isEqualTo("wrong answer");
        assertThat(record.getVoter()).isEqualTo("user-7");
        assertThat(record.getProvider()).isEqualTo("vultr");
        assertThat(record.getModel()).isEqualTo(result.getModel());
        assertThat(record.getResponseId()).isEqualTo(result.getResponseId());
        assertThat(record.getJobStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
        assertThat(record.getForwarded()).isTrue();
        assertThat(record.getForwardStatus()).isEqualTo(ForwardStatus.FORWARDED);
        assertThat(record.getForwardAttempts()).isEqualTo(1);
        assertThat(record.getForwardDetail()).isNull();
        assertThat(record.getVotedAt()).isEqualTo(votedAt);
        assertThat(record.getRecordedAt()).isAfter(votedAt);
        assertThat(record.getMetadata()).containsEntry("ticket", "T-1");
        assertThat(world.stack.simulator().voteFor(result.getResponseId())).contains("down");
        List<RecordedRequest> ratings = world.stack.simulator().requests().stream()
                .filter(r -> r.path().equals("/vultr/v1/chat/completions/" + result.getResponseId() + "/rate"))
                .toList();
        assertThat(ratings).hasSize(1);
        assertThat(ratings.get(0).method()).isEqualTo("POST");
        assertThat(ratings.get(0).body().toString()).isEqualTo("{\"vote\":\"down\"}");
        ConsumerRecord<byte[], byte[]> out = world.collector(world.votes).records().stream()
                .filter(r -> jobId.equals(new String(r.key(), StandardCharsets.UTF_8))).findFirst().orElseThrow();
        assertThat(header(out, "traceparent")).isEqualTo(traceparent);

        // Re-voting replaces the vote downstream (same key) and is forwarded again.
        world.send(vote(jobId, Vote.UP).build());
        VoteRecord again = world.awaitVoteRecord(jobId, 2);
        assertThat(again.getVote()).isEqualTo(Vote.UP);
        assertThat(again.getForwardStatus()).isEqualTo(ForwardStatus.FORWARDED);
        assertThat(world.stack.simulator().voteFor(result.getResponseId())).contains("up");
        assertThat(world.deadLetters(key(jobId))).isEmpty();
    }

    @Test
    void aVoteBeforeTheResultWaitsForItAndIsThenForwarded() {
        String jobId = job("vultr-before");
        world.send(vote(jobId, Vote.UP).build());
        world.awaitPending(jobId);
        assertThat(world.voteRecords(jobId)).isEmpty();

        world.send(request(jobId, "vultr", "kimi-k2-instruct"));
        VoteRecord record = world.awaitVoteRecord(jobId, 1);
        CompletionResult result = world.awaitResult(jobId);
        assertThat(record.getResponseId()).isEqualTo(result.getResponseId());
        assertThat(record.getForwardStatus()).isEqualTo(ForwardStatus.FORWARDED);
        assertThat(record.getVotedAt()).isNotNull();
        assertThat(world.stack.simulator().voteFor(result.getResponseId())).contains("up");
    }

    @Test
    void votesOnProvidersWithoutRatingApiAreRecordedButNotForwarded() {
        String nscaleJob = job("nscale");
        String openAiJob = job("openai");
        world.send(request(nscaleJob, "nscale", "meta-llama/Llama-3.3-70B-Instruct"));
        world.send(request(openAiJob, "sim", "votes-openai-model"));
        world.awaitResult(nscaleJob);
        world.awaitResult(openAiJob);
        world.send(vote(nscaleJob, Vote.UP).build());
        world.send(vote(openAiJob, Vote.DOWN).build());

        for (String jobId : List.of(nscaleJob, openAiJob)) {
            VoteRecord record = world.awaitVoteRecord(jobId, 1);
            assertThat(record.getJobStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
            assertThat(record.getResponseId()).isNotBlank();
            assertThat(record.getForwarded()).isFalse();
            assertThat(record.getForwardStatus()).isEqualTo(ForwardStatus.NOT_SUPPORTED);
            assertThat(record.getForwardAttempts()).isZero();
            assertThat(record.getForwardDetail()).contains("has no rating API");
        }
        assertThat(world.voteRecords(nscaleJob).get(0).getProvider()).isEqualTo("nscale");
        assertThat(world.voteRecords(openAiJob).get(0).getProvider()).isEqualTo("sim");
    }

    @Test
    void aVoteOnAFailedJobIsRecordedButNotForwarded() {
        String jobId = job("failed");
        world.stack.simulator().onModel(jobId, Behaviour.status(400));
        world.send(request(jobId, "vultr", jobId));
        assertThat(world.awaitResult(jobId).getStatus()).isEqualTo(CompletionStatus.FAILED);
        world.send(vote(jobId, Vote.DOWN).build());

        VoteRecord record = world.awaitVoteRecord(jobId, 1);
        assertThat(record.getJobStatus()).isEqualTo(CompletionStatus.FAILED);
        assertThat(record.getForwarded()).isFalse();
        assertThat(record.getForwardStatus()).isEqualTo(ForwardStatus.JOB_NOT_SUCCEEDED);
        assertThat(record.getForwardAttempts()).isZero();
        assertThat(world.stack.simulator().requests().stream().filter(r -> r.path().endsWith("/rate"))
                .filter(r -> r.path().contains(jobId))).isEmpty();
    }

    @Test
    void forwardingFailuresAreRetriedAsForCompletionsThenRecordedAsFailed() {
        String unreachable = job("down");
        String unknownId = job("unknown-id");
        world.send(fabricatedResult(unreachable, "vultr-down", "chatcmpl-down"));
        world.send(fabricatedResult(unknownId, "vultr", "chatcmpl-never-issued-" + unknownId));
        world.send(vote(unreachable, Vote.UP).build());
        world.send(vote(unknownId, Vote.UP).build());

        VoteRecord down = world.awaitVoteRecord(unreachable, 1);
        assertThat(down.getForwarded()).isFalse();
        assertThat(down.getForwardStatus()).isEqualTo(ForwardStatus.FAILED);
        assertThat(down.getForwardAttempts()).isEqualTo(3);
        assertThat(down.getForwardDetail()).contains("after 3 attempt(s)");

        VoteRecord unknown = world.awaitVoteRecord(unknownId, 1);
        assertThat(unknown.getForwardStatus()).isEqualTo(ForwardStatus.FAILED);
        assertThat(unknown.getForwardAttempts()).isEqualTo(1);
        assertThat(unknown.getForwardDetail()).contains("not_found", "404", "after 1 attempt(s)");
    }

    @Test
    void badVoteRequestsAreDeadLetteredWithTheirOriginalBytes() {
        byte[] garbage = {1, 2, 3, 4};
        byte[] undecodableKey = key(job("garbage"));
        String mismatched = job("mismatch");
        byte[] mismatchedValue = world.serialize(vote(job("other"), Vote.UP).build());
        List<org.apache.kafka.common.header.Header> headers =
                List.of(new RecordHeader("origin", "test".getBytes(StandardCharsets.UTF_8)));
        world.sendRaw(world.voteRequests, undecodableKey, garbage, headers);
        world.sendRaw(world.voteRequests, key(mismatched), mismatchedValue, headers);

        await().atMost(Duration.ofSeconds(60)).until(() -> world.deadLetters(undecodableKey).size() == 1
                && world.deadLetters(key(mismatched)).size() == 1);
        ConsumerRecord<byte[], byte[]> undecodable = world.deadLetters(undecodableKey).get(0);
        assertThat(undecodable.value()).isEqualTo(garbage);
        assertThat(header(undecodable, "origin")).isEqualTo("test");
        assertThat(header(undecodable, DeadLetters.STAGE)).isEqualTo("decode");
        assertThat(header(undecodable, DeadLetters.TOPIC)).isEqualTo(world.voteRequests);
        assertThat(header(undecodable, DeadLetters.CONSUMER_GROUP)).isEqualTo(world.applicationId());
        ConsumerRecord<byte[], byte[]> wrongKey = world.deadLetters(key(mismatched)).get(0);
        assertThat(wrongKey.value()).isEqualTo(mismatchedValue);
        assertThat(header(wrongKey, DeadLetters.STAGE)).isEqualTo("validate");
        assertThat(header(wrongKey, DeadLetters.EXCEPTION_MESSAGE)).contains("differs from its job_id");
        assertThat(world.voteRecords(mismatched)).isEmpty();
    }

    @Test
    void aVoteArrivingWhileTheEarlierOneIsBeingForwardedIsForwardedAfterIt() {
        String jobId = job("in-flight");
        world.send(request(jobId, "vultr", "kimi-k2-instruct"));
        CompletionResult result = world.awaitResult(jobId);
        var sim = world.stack.simulator();
        sim.setLatency(Dialect.VULTR, Duration.ofMillis(700));
        try {
            world.send(vote(jobId, Vote.UP).setComment("first").build());
            world.send(vote(jobId, Vote.DOWN).setComment("second").build());
            assertThat(world.awaitVoteRecord(jobId, 2).getComment()).isEqualTo("second");
        } finally {
            sim.setLatency(Dialect.VULTR, Duration.ZERO);
        }
        List<VoteRecord> records = world.voteRecords(jobId);
        assertThat(records).extracting(VoteRecord::getVote).containsExactly(Vote.UP, Vote.DOWN);
        assertThat(records).allSatisfy(r -> assertThat(r.getForwardStatus()).isEqualTo(ForwardStatus.FORWARDED));
        List<RecordedRequest> ratings = sim.requests().stream()
                .filter(r -> r.path().equals("/vultr/v1/chat/completions/" + result.getResponseId() + "/rate"))
                .toList();
        assertThat(ratings).extracting(r -> r.body().path("vote").asText()).containsExactly("up", "down");
        assertThat(ratings.get(1).receivedAt()).isAfterOrEqualTo(ratings.get(0).receivedAt().plusMillis(700));
        assertThat(sim.voteFor(result.getResponseId())).contains("down");
    }

    @Test
    void anUndecodableResultIsSkippedAndLaterResultsStillJoin() {
        String jobId = job("after-poison");
        world.sendRaw(world.results, key(jobId), new byte[] {0, 0x7f, (byte) 0xff, (byte) 0xff, 1, 2}, List.of());
        world.send(fabricatedResult(jobId, "nscale", "chatcmpl-after-poison"));
        world.send(vote(jobId, Vote.UP).build());

        VoteRecord record = world.awaitVoteRecord(jobId, 1);
        assertThat(record.getResponseId()).isEqualTo("chatcmpl-after-poison");
        assertThat(record.getForwardStatus()).isEqualTo(ForwardStatus.NOT_SUPPORTED);
    }

    static CompletionResult fabricatedResult(String jobId, String provider, String responseId) {
        return CompletionResult.newBuilder()
                .setJobId(jobId)
                .setStatus(CompletionStatus.SUCCEEDED)
                .setProvider(provider)
                .setModel("kimi-k2-instruct")
                .setResponseId(responseId)
                .setCompletedAt(Instant.now())
                .build();
    }
}
