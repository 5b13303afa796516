package io.inferenceworker.bench;

import io.inferenceworker.testkit.EmbeddedKafka;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The topics and group of one run, all named after the run, all with the scenario's partition count (results,
 * vote requests and votes must have equal counts for the worker).
 */
record RunTopics(String run, int partitions) {

    String requests() {
        return run + ".requests";
    }

    String results() {
        return run + ".results";
    }

    String usage() {
        return run + ".usage";
    }

    String chunks() {
        return run + ".chunks";
    }

    String deadLetters() {
        return run + ".dlq";
    }

    String voteRequests() {
        return run + ".votes.requests";
    }

    String votes() {
        return run + ".votes";
    }

    String group() {
        return run + ".group";
    }

    private List<String> all() {
        return List.of(requests(), results(), usage(), chunks(), deadLetters(), voteRequests(), votes());
    }

    void create(EmbeddedKafka kafka) {
        kafka.createTopics(all().stream().map(t -> new NewTopic(t, partitions, (short) 1)).toList());
    }

    /** Deletes the run's topics, so that a long benchmark does not fill the broker's disk; best effort. */
    void delete(EmbeddedKafka kafka) {
        try (Admin admin = kafka.newAdmin()) {
            admin.deleteTopics(all()).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            System.err.println("Could not delete the topics of " + run + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until the group has {@code members} members, each with partitions assigned. */
    void awaitGroupAssigned(EmbeddedKafka kafka, int members, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = kafka.newAdmin()) {
            while (System.nanoTime() < deadline) {
                try {
                    var d = admin.describeConsumerGroups(List.of(group())).all().get(5, TimeUnit.SECONDS)
                            .get(group());
                    if (d != null && d.members().size() >= members && d.members().stream()
                            .allMatch(m -> !m.assignment().topicPartitions().isEmpty())) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    // group not there yet
                }
                TimeUnit.MILLISECONDS.sleep(200);
            }
        }
        throw new IllegalStateException("group " + group() + " did not get " + members + " assigned members in "
                + timeout);
    }
}
