package io.inferenceworker.job;

import io.inferenceworker.provider.InvalidRequestException;
import io.inferenceworker.provider.ProviderException;
import io.inferenceworker.provider.registry.ProviderInstance;
import io.inferenceworker.publish.DeadLetters;
import io.inferenceworker.publish.Destinations;
import io.inferenceworker.publish.OutputTopics;
import io.inferenceworker.schemas.CompletionResult;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

/**
 * Publishes what one job produced: its result, its usage when it succeeded, its chunks when it streamed, each sent on
 * its own ({@link OutputSender}); and, once they are acknowledged, its dead letter when it failed or was invalid, so
 * the dead letter is the job's last output and a job has one dead letter at most.
 *
 * <p>Where the result, usage and chunks go is the job's {@link Destinations.Decision} (its tenant's topics, or topics the
 * request names and the allow-list grants); dead letters always go to the operator's dead-letter topic.
 *
 * <p>Thread-safe; one instance serves every job.
 */
final class JobOutputs {
    private final OutputSender sender;
    private final DeadLetters deadLetters;
    private final Destinations destinations;
    private final ResultFactory results;
    private final JobEvents events;

    JobOutputs(OutputSender sender, DeadLetters deadLetters, Destinations destinations, ResultFactory results,
               JobEvents events) {
        this.sender = Objects.requireNonNull(sender, "sender");
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
        this.destinations = Objects.requireNonNull(destinations, "destinations");
        this.results = Objects.requireNonNull(results, "results");
        this.events = Objects.requireNonNull(events, "events");
    }

    /** Where the job's outputs go, or why the topics its request names are refused. */
    Destinations.Decision destination(Job job) {
        return destinations.decide(job.request());
    }

    ChunkStream chunkStream(Job job, OutputTopics topics, Clock clock, JobTrace trace) {
        return new ChunkStream(job, sender, topics.chunks(), trace.outputHeaders(), clock);
    }

    /**
     * Sends the job's result, its usage and its stream's last chunk; returns them with every chunk sent before.
     *
     * @param topics   where they go: the job's {@link #destination}
     * @param instance the job's provider, or null when it named none we know
     * @param trace    the job's trace: a span for the sends, whose context every output carries
     */
    List<OutputSender.Sent> publish(Outcome outcome, OutputTopics topics, ProviderInstance instance,
                                    ChunkStream chunks, JobTrace trace) {
        Job job = outcome.job();
        trace.publishing(topics.results());
        Headers headers = trace.outputHeaders();
        List<OutputSender.Sent> sent = new ArrayList<>();
        if (chunks != null) {
            if (outcome instanceof Outcome.Succeeded s) {
                chunks.finish(s.reply());
            }
            sent.addAll(chunks.sent());
        }
        String defaultModel = instance == null ? null : instance.settings().getDefaultModel();
        CompletionResult result = results.result(outcome, defaultModel);
        sent.add(sender.send("result", topics.results(), job.id(), result, headers));
        if (instance != null) {
            results.usage(outcome, instance).ifPresent(usage -> {
                sent.add(sender.send("usage", topics.usage(), job.id(), usage, headers));
                events.onUsage(usage, job.model() == null ? defaultModel : job.model(),
                        instance.settings().getType());
            });
        }
        return sent;
    }

    /** Waits for the outputs {@link #publish} sent, at most the publish timeout. */
    OutputSender.Delivery await(List<OutputSender.Sent> sent) {
        return sender.await(sent);
    }

    /** Why the job's request is dead-lettered once its result is written: for FAILED and INVALID only. */
    Optional<DeadLetters.Reason> deadLetterReason(Outcome outcome) {
        Job job = outcome.job();
        return switch (outcome) {
            case Outcome.Failed f -> Optional.of(providerReason(job, f.cause(), f.attempts()));
            case Outcome.Invalid i -> Optional.of(DeadLetters.Reason.of(DeadLetters.Stage.VALIDATE,
                    InvalidRequestException.class.getName(), i.reason(), "invalid_request")
                    .withJob(job.id(), job.provider()));
            case Outcome.Succeeded s -> Optional.empty();
            case Outcome.Expired x -> Optional.empty();
        };
    }

    /**
     * Dead-letters a record, cut to fit the producer's request size, re-sent until Kafka acknowledges it.
     *
     * @return false only when the job's thread was interrupted first (shutdown)
     */
    boolean deadLetter(RequestRecord record, DeadLetters.Reason reason) {
        ProducerRecord<byte[], byte[]> letter = deadLetters.of(record.raw(), record.groupId(), reason);
        if (!sender.deliverDeadLetter(letter, deadLetters.withoutValue(letter, record.raw()))) {
            return false;
        }
        events.onDeadLetter(reason.stage().name().toLowerCase(java.util.Locale.ROOT));
        return true;
    }

    private static DeadLetters.Reason providerReason(Job job, ProviderException e, int attempts) {
        return DeadLetters.Reason.of(DeadLetters.Stage.PROVIDER, e.getClass().getName(), e.getMessage(), e.code())
                .withJob(job.id(), job.provider()).withAttempts(attempts).withHttpStatus(e.httpStatus().orElse(null));
    }
}
