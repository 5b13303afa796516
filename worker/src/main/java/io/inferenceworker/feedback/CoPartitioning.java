package io.inferenceworker.feedback;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Checks, before the votes component starts, that the topics it joins exist and are co-partitioned: a vote and its
 * job's result are keyed by job ID, so they land on the same partition number only when the result and vote request
 * topics have the same partition count. Kafka Streams would otherwise run silently with votes that never meet their
 * results. The output topics must exist too (the brokers may not auto-create them).
 */
final class CoPartitioning {
    private CoPartitioning() {
    }

    /**
     * @throws VotesSetupException naming each missing topic, or both partition counts when they differ; retriable
     *                             when Kafka did not answer in time or failed transiently
     */
    static void check(Admin admin, VotesTopology.Topics topics, Duration timeout) {
        Objects.requireNonNull(admin, "admin");
        List<String> names = List.of(topics.results(), topics.voteRequests(), topics.votes(), topics.deadLetters());
        Map<String, KafkaFuture<TopicDescription>> futures =
                admin.describeTopics(names.stream().distinct().toList()).topicNameValues();
        List<String> missing = new ArrayList<>();
        Map<String, Integer> partitions = new HashMap<>();
        for (Map.Entry<String, KafkaFuture<TopicDescription>> e : futures.entrySet()) {
            try {
                partitions.put(e.getKey(), e.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                        .partitions().size());
            } catch (ExecutionException failure) {
                if (failure.getCause() instanceof UnknownTopicOrPartitionException) {
                    missing.add(e.getKey());
                } else {
                    throw new VotesSetupException("cannot describe topic " + e.getKey() + ": "
                            + failure.getCause(), failure.getCause() instanceof RetriableException,
                            failure.getCause());
                }
            } catch (TimeoutException failure) {
                throw new VotesSetupException("no answer describing topic " + e.getKey() + " within " + timeout,
                        true, failure);
            } catch (InterruptedException failure) {
                Thread.currentThread().interrupt();
                throw new VotesSetupException("interrupted while describing topic " + e.getKey(), false, failure);
            }
        }
        if (!missing.isEmpty()) {
            throw new VotesSetupException("topic(s) " + String.join(", ", missing.stream().sorted().toList())
                    + " do not exist; create them (the vote request topic with as many partitions as the result"
                    + " topic " + topics.results() + ")", false, null);
        }
        int results = partitions.get(topics.results());
        int votes = partitions.get(topics.voteRequests());
        if (results != votes) {
            throw new VotesSetupException("the vote request topic " + topics.voteRequests() + " has " + votes
                    + " partition(s) but the result topic " + topics.results() + " has " + results
                    + "; they must have the same count, so that a vote and its job's result (both keyed by job ID)"
                    + " land on the same partition number", false, null);
        }
    }
}
