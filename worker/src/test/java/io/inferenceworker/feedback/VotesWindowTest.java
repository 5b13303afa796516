package io.inferenceworker.feedback;

import static io.inferenceworker.feedback.VotesWorld.header;
import static io.inferenceworker.feedback.VotesWorld.key;
import static io.inferenceworker.feedback.VotesWorld.request;
import static io.inferenceworker.feedback.VotesWorld.vote;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inferenceworker.publish.DeadLetters;
import io.inferenceworker.schemas.CompletionStatus;
import io.inferenceworker.schemas.Vote;
import io.micronaut.context.ApplicationContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/** The wait window, and the start-up check of the topics. */
class VotesWindowTest {

    @Test
    void aVoteOnAnUnknownJobIsDeadLetteredAfterTheWaitWindow() {
        try (VotesWorld world = new VotesWorld("votes-unknown", 2)) {
            world.startVotingWorker(world.prefix + "-w1", Map.of("votes.wait-window", "2s"));
            String jobId = world.prefix + "-nobody";
            byte[] value = world.serialize(vote(jobId, Vote.UP).setComment("hello?").build());
            Instant sent = Instant.now();
            world.sendRaw(world.voteRequests, key(jobId), value,
                    List.of(new RecordHeader("origin", "test".getBytes(StandardCharsets.UTF_8))));

            await().atMost(Duration.ofSeconds(30)).until(() -> world.deadLetters(key(jobId)).size() == 1);
            assertThat(Duration.between(sent, Instant.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
            ConsumerRecord<byte[], byte[]> letter = world.deadLetters(key(jobId)).get(0);
            assertThat(letter.value()).isEqualTo(value);
            assertThat(header(letter, "origin")).isEqualTo("test");
            assertThat(header(letter, DeadLetters.STAGE)).isEqualTo("join");
            assertThat(header(letter, DeadLetters.ERROR_CODE)).isEqualTo("unknown_job");
            assertThat(header(letter, DeadLetters.EXCEPTION_CLASS)).isEqualTo(UnknownJobException.class.getName());
            assertThat(header(letter, DeadLetters.EXCEPTION_MESSAGE)).contains("unknown job", jobId, "PT2S");
            assertThat(header(letter, DeadLetters.JOB_ID)).isEqualTo(jobId);
            assertThat(header(letter, DeadLetters.TOPIC)).isEqualTo(world.voteRequests);
            assertThat(header(letter, DeadLetters.OFFSET)).isNotNull();
            assertThat(header(letter, DeadLetters.CONSUMER_GROUP)).isEqualTo(world.applicationId());
            assertThat(world.voteRecords(jobId)).isEmpty();

            // A result arriving after the window finds no vote left to record.
            world.send(VotesFlowTest.fabricatedResult(jobId, "vultr", "chatcmpl-late"));
            String control = world.prefix + "-control";
            world.send(VotesFlowTest.fabricatedResult(control, "nscale", "chatcmpl-control"));
            world.send(vote(control, Vote.UP).build());
            world.awaitVoteRecord(control, 1);
            assertThat(world.voteRecords(jobId)).isEmpty();
            assertThat(world.deadLetters(key(jobId))).hasSize(1);
        }
    }

    @Test
    void theVotesComponentRefusesToStartWhenTheTopicsAreNotCoPartitioned() {
        try (VotesWorld world = new VotesWorld("votes-skew", 2, 3)) {
            ApplicationContext worker = world.startWorker(world.prefix + "-w1", Map.of());
            VotesService votes = worker.getBean(VotesService.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> votes.refusal().isPresent());
            assertThat(votes.state()).isEqualTo(KafkaStreams.State.NOT_RUNNING);
            assertThat(votes.refusal()).hasValueSatisfying(reason -> assertThat(reason)
                    .contains(world.voteRequests, "3 partition(s)", world.results, "has 2", "same count"));

            // Completions are still served.
            String jobId = world.prefix + "-job";
            world.send(request(jobId, "sim", "skew-model"));
            assertThat(world.awaitResult(jobId).getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
        }
    }

    @Test
    void theVotesComponentCanBeDisabled() {
        try (VotesWorld world = new VotesWorld("votes-off", 1)) {
            ApplicationContext worker = world.startWorker(world.prefix + "-w1", Map.of("votes.enabled", "false"));
            assertThat(worker.findBean(VotesService.class)).isEmpty();
            assertThat(worker.findBean(VotesLifecycle.class)).isEmpty();
            ApplicationContext tool = world.startWorker(world.prefix + "-w2", Map.of("worker.enabled", "false"));
            assertThat(tool.findBean(VotesLifecycle.class)).isEmpty();
        }
    }
}
