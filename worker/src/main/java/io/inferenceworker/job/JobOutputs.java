package io.inferenceworker.job;

import io.inferenceworker.config.TopicSettings;
import io.inferenceworker.provider.InvalidRequestException;
import io.inferenceworker.provider.ProviderException;
import io.inferenceworker.provider.ProviderInstance;
import io.inferenceworker.publish.DeadLetters;
import io.inferenceworker.publish.OutputPublisher;
import io.inferenceworker.schemas.CompletionResult;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Publishes what one job produced: its result, its usage when it succeeded, its dead letter when it failed or was
 * invalid. The returned future completes once Kafka has acknowledged all of them (and the job's chunks).
 */
final class JobOutputs {
    private final OutputPublisher publisher;
    private final DeadLetters deadLetters;
    private final TopicSettings topics;
    private final ResultFactory results;
    private final JobEvents events;

    JobOutputs(OutputPublisher publisher, DeadLetters deadLetters, TopicSettings topics, ResultFactory results,
               JobEvents events) {
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
        this.topics = Objects.requireNonNull(topics, "topics");
        this.results = Objects.requireNonNull(results, "results");
        this.events = Objects.requireNonNull(events, "events");
    }

    ChunkStream chunkStream(Job job, Clock clock) {
        return new ChunkStream(job, publisher, topics.getChunks(), outputHeaders(job), clock);
    }

    /**
     * @param instance the job's provider, or null when it named none we know
     */
    CompletableFuture<Void> publish(Outcome outcome, ProviderInstance instance, ChunkStream chunks) {
        Job job = outcome.job();
        Headers headers = outputHeaders(job);
        List<CompletableFuture<?>> acks = new ArrayList<>();
        if (chunks != null) {
            if (outcome instanceof Outcome.Succeeded s) {
                chunks.finish(s.reply());
            }
            acks.add(chunks.allSent());
        }
        String defaultModel = instance == null ? null : instance.settings().getDefaultModel();
        CompletionResult result = results.result(outcome, defaultModel);
        acks.add(publisher.send(topics.getResults(), job.id(), result, headers));
        if (instance != null) {
            results.usage(outcome, instance).ifPresent(usage -> {
                acks.add(publisher.send(topics.getUsage(), job.id(), usage, headers));
                events.onUsage(job.provider(), usage.getModel(), usage.getPromptTokens(),
                        usage.getCompletionTokens(), usage.getEstimatedCost() == null ? 0 : usage.getEstimatedCost());
            });
        }
        DeadLetters.Reason reason = switch (outcome) {
            case Outcome.Failed f -> providerReason(job, f.cause(), f.attempts());
            case Outcome.Invalid i -> new DeadLetters.Reason(DeadLetters.Stage.VALIDATE,
                    InvalidRequestException.class.getName(), i.reason(), "invalid_request", 0, job.provider(), null,
                    job.id());
            case Outcome.Succeeded s -> null;
            case Outcome.Expired x -> null;
        };
        if (reason != null) {
            acks.add(deadLetter(job.source(), reason));
        }
        return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new));
    }

    /** Dead-letters a record, completing when Kafka acknowledged it. */
    CompletableFuture<Void> deadLetter(RequestRecord record, DeadLetters.Reason reason) {
        return publisher.sendRaw(deadLetters.of(record.raw(), record.groupId(), reason))
                .thenRun(() -> events.onDeadLetter(reason.stage().name().toLowerCase(java.util.Locale.ROOT)));
    }

    private static DeadLetters.Reason providerReason(Job job, ProviderException e, int attempts) {
        return new DeadLetters.Reason(DeadLetters.Stage.PROVIDER, e.getClass().getName(), e.getMessage(), e.code(),
                attempts, job.provider(), e.httpStatus().orElse(null), job.id());
    }

    private static Headers outputHeaders(Job job) {
        Headers headers = new RecordHeaders();
        job.traceparent().ifPresent(tp -> headers.add(Job.TRACEPARENT, tp.getBytes(StandardCharsets.UTF_8)));
        return headers;
    }
}
