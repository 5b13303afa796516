package io.inferenceworker.feedback;

import static io.inferenceworker.feedback.VotesWorld.key;
import static io.inferenceworker.feedback.VotesWorld.vote;
import static org.awaitility.Awaitility.await;

import io.inferenceworker.schemas.Vote;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * A measurement, not part of the suite (the name matches no Surefire include; run it with
 * {@code -Dtest=VoteThroughputProbe}, {@code -Dprobe.jobs=N}): N jobs with two voters each, all votes published
 * before the results (on a provider without rating API, so no HTTP call), one worker; prints the votes recorded per
 * second from the first vote sent to the last VoteRecord read. Fails if a VoteRecord is missing.
 */
class VoteThroughputProbe {

    @Test
    void twoVotesPerJobBeforeTheResults() {
        int jobs = Integer.getInteger("probe.jobs", 2000);
        try (VotesWorld world = new VotesWorld("votes-probe", 2)) {
            world.startVotingWorker(world.prefix + "-w1", Map.of());
            String warmUp = world.prefix + "-warm-up";
            world.send(VotesFlowTest.fabricatedResult(warmUp, "nscale", "chatcmpl-warm-up"));
            world.send(vote(warmUp, Vote.UP).build());
            world.awaitVoteRecord(warmUp, 1);

            List<ProducerRecord<byte[], byte[]>> votes = new ArrayList<>();
            List<ProducerRecord<byte[], byte[]>> results = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                String id = world.prefix + "-job-" + i;
                votes.add(new ProducerRecord<>(world.voteRequests, key(id),
                        world.serialize(vote(id, Vote.UP).setVoter("alice").build())));
                votes.add(new ProducerRecord<>(world.voteRequests, key(id),
                        world.serialize(vote(id, Vote.DOWN).setVoter("bob").build())));
                results.add(new ProducerRecord<>(world.results, key(id),
                        world.encodeResult(VotesFlowTest.fabricatedResult(id, "nscale", "chatcmpl-" + id))));
            }
            long start = System.nanoTime();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                    Map.of("bootstrap.servers", world.stack.kafka().bootstrapServers(), "linger.ms", "5"),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                votes.forEach(producer::send);
                results.forEach(producer::send);
            }
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(100))
                    .until(() -> world.collector(world.votes).size() >= 2 * jobs + 1);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("PROBE jobs=%d votes=%d seconds=%.1f votes/s=%.0f%n", jobs, 2 * jobs, seconds,
                    2 * jobs / seconds);
        }
    }
}
