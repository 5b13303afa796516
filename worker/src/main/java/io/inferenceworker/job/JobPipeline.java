package io.inferenceworker.job;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import io.inferenceworker.provider.ProviderInstance;
import io.inferenceworker.publish.DeadLetters;
import io.inferenceworker.serde.RegistryUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data path of one request record, on its own virtual thread:
 * decode → validate → (expired?) → provider call with retries → outcome → records out → {@link Disposition}.
 *
 * <p>The returned disposition is reported only after Kafka acknowledged every output of the job; outputs that fail
 * transiently (broker or registry unavailable) are re-sent until they are acknowledged or the worker shuts down, so
 * a job never ends without its result. An output that can never be written (say, larger than the topic allows) is
 * replaced by a dead letter at stage {@code publish}.
 *
 * <p>Thread-safe. {@link #close(Duration)} lets running jobs finish within a grace period, then interrupts the rest,
 * which end as {@link Disposition#ABANDON} and are replayed by the partition's next owner.
 */
public final class JobPipeline implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobPipeline.class);
    private static final Logger OUTCOMES = LoggerFactory.getLogger("io.inferenceworker.outcomes");

    private final JobDecoder decoder;
    private final JobProcessor processor;
    private final JobOutputs outputs;
    private final JobEvents events;
    private final Clock clock;
    private final boolean logContent;
    private final ExecutorService jobs = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("job-", 0).factory());
    private final RetryPolicy<Object> publishRetry = RetryPolicy.builder()
            .handleIf(JobPipeline::isTransient)
            .withBackoff(Duration.ofMillis(200), Duration.ofSeconds(10))
            .withMaxRetries(-1)
            .onRetry(e -> LOG.warn("Publishing outputs failed transiently, retrying (attempt {}): {}",
                    e.getAttemptCount(), e.getLastException().toString()))
            .build();

    JobPipeline(JobDecoder decoder, JobProcessor processor, JobOutputs outputs, JobEvents events, Clock clock,
                boolean logContent) {
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        this.processor = Objects.requireNonNull(processor, "processor");
        this.outputs = Objects.requireNonNull(outputs, "outputs");
        this.events = Objects.requireNonNull(events, "events");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.logContent = logContent;
    }

    /** Starts the record's job on a virtual thread; the future never completes exceptionally. */
    public CompletableFuture<Disposition> submit(RequestRecord record) {
        CompletableFuture<Disposition> done = new CompletableFuture<>();
        try {
            jobs.execute(() -> done.complete(run(record)));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            done.complete(Disposition.ABANDON);
        }
        return done;
    }

    /**
     * Dead-letters a record without running its job (for instance a share-group record at its delivery limit), on a
     * job virtual thread. The future never completes exceptionally: {@link Disposition#DEAD_LETTERED} once Kafka
     * acknowledged the dead letter, {@link Disposition#ABANDON} only when the pipeline is shutting down.
     */
    public CompletableFuture<Disposition> deadLetter(RequestRecord record, DeadLetters.Reason reason) {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(reason, "reason");
        CompletableFuture<Disposition> done = new CompletableFuture<>();
        try {
            jobs.execute(() -> done.complete(deadLetterOrAbandon(record, reason)));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Shutting down: this dead letter is what keeps the record from being lost (a share-group record at its
            // last delivery), so it still goes out, on a thread of its own; the producer closes after the intake.
            Thread.ofVirtual().name("dead-letter-at-shutdown").start(
                    () -> done.complete(deadLetterOrAbandon(record, reason)));
        }
        return done;
    }

    private Disposition run(RequestRecord record) {
        try {
            return switch (decoder.decode(record)) {
                case Decoding.Poison poison -> deadLetterPoison(record, poison);
                case Decoding.Decoded decoded -> runJob(decoded.job());
            };
        } catch (JobAbandonedException e) {
            LOG.info("Job at {} abandoned at shutdown; it will be replayed", record.coordinates());
            return Disposition.ABANDON;
        } catch (RuntimeException e) {
            // A bug of ours must not stall the partition nor lose the record: dead-letter it with the reason.
            LOG.error("Unexpected failure processing {}", record.coordinates(), e);
            return deadLetterOrAbandon(record, new DeadLetters.Reason(DeadLetters.Stage.PROVIDER,
                    e.getClass().getName(), String.valueOf(e.getMessage()), "internal_error", 0, null, null, null));
        }
    }

    private Disposition runJob(Job job) {
        ProviderInstance instance = processor.providerOf(job).orElse(null);
        ChunkStream chunks = job.request().getStream() ? outputs.chunkStream(job, clock) : null;
        Outcome outcome = processor.process(job, chunks);
        try {
            awaitAcked(() -> outputs.publish(outcome, instance, chunks));
        } catch (PublishFailedException e) {
            LOG.error("Outputs of job {} cannot be written; dead-lettering the request", job.id(), e.getCause());
            return deadLetterOrAbandon(job.source(), new DeadLetters.Reason(DeadLetters.Stage.PUBLISH,
                    e.getCause().getClass().getName(), String.valueOf(e.getCause().getMessage()), "publish_failed",
                    outcome.attempts(), job.provider(), null, job.id()));
        }
        logOutcome(outcome);
        return switch (outcome) {
            case Outcome.Failed f -> Disposition.DEAD_LETTERED;
            case Outcome.Invalid i -> Disposition.DEAD_LETTERED;
            case Outcome.Succeeded s -> Disposition.DONE;
            case Outcome.Expired x -> Disposition.DONE;
        };
    }

    private Disposition deadLetterPoison(RequestRecord record, Decoding.Poison poison) {
        LOG.warn("Undecodable record at {} dead-lettered: {}", record.coordinates(), poison.reason());
        events.onOutcome("unknown", "unknown", "undecodable", Duration.ZERO);
        return deadLetterOrAbandon(record, new DeadLetters.Reason(DeadLetters.Stage.DECODE,
                poison.cause().getClass().getName(), poison.reason(), "undecodable", 0, null, null, null));
    }

    private Disposition deadLetterOrAbandon(RequestRecord record, DeadLetters.Reason reason) {
        try {
            awaitAcked(() -> outputs.deadLetter(record, reason));
            return Disposition.DEAD_LETTERED;
        } catch (PublishFailedException | JobAbandonedException e) {
            LOG.error("Dead letter for {} could not be written; leaving the record to be replayed",
                    record.coordinates(), e);
            return Disposition.ABANDON;
        }
    }

    private void awaitAcked(Supplier<CompletableFuture<Void>> send) {
        try {
            Failsafe.with(publishRetry).run(() -> join(send.get()));
        } catch (FailsafeException e) {
            if (e.getCause() instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                throw new JobAbandonedException("interrupted while publishing outputs", e);
            }
            throw new PublishFailedException(e.getCause() == null ? e : e.getCause());
        } catch (RuntimeException e) {
            throw new PublishFailedException(e);
        }
    }

    private static void join(CompletableFuture<Void> future) throws InterruptedException {
        try {
            future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException r ? r : new CompletionException(cause);
        }
    }

    private static boolean isTransient(Throwable t) {
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        return cause instanceof RetriableException || cause instanceof TimeoutException
                || cause instanceof RegistryUnavailableException;
    }

    private void logOutcome(Outcome outcome) {
        Job job = outcome.job();
        String status = switch (outcome) {
            case Outcome.Succeeded s -> "SUCCEEDED";
            case Outcome.Failed f -> "FAILED";
            case Outcome.Expired x -> "EXPIRED";
            case Outcome.Invalid i -> "INVALID";
        };
        Duration total = Duration.between(Instant.ofEpochMilli(job.source().raw().timestamp()), clock.instant());
        String model = job.model() == null ? "default" : job.model();
        events.onOutcome(job.provider(), model, status.toLowerCase(java.util.Locale.ROOT), total);
        if (OUTCOMES.isInfoEnabled()) {
            String reason = switch (outcome) {
                case Outcome.Succeeded s -> logContent ? " content=" + s.reply().choices() : "";
                case Outcome.Failed f -> " code=" + f.cause().code() + " reason=\"" + f.cause().getMessage() + "\"";
                case Outcome.Expired x -> " reason=\"" + x.reason() + "\"";
                case Outcome.Invalid i -> " parameter=" + i.parameter() + " reason=\"" + i.reason() + "\"";
            };
            OUTCOMES.info("job={} provider={} model={} status={} attempts={} provider_ms={} total_ms={}{}",
                    job.id(), job.provider(), model, status, outcome.attempts(), outcome.providerTime().toMillis(),
                    total.toMillis(), reason);
        }
    }


    /**
     * Stops taking jobs, lets running ones finish for up to {@code grace}, then interrupts the rest.
     *
     * @return true when every job finished within the grace period
     */
    public boolean close(Duration grace) {
        jobs.shutdown();
        try {
            if (jobs.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
            jobs.shutdownNow();
            jobs.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            jobs.shutdownNow();
            Thread.currentThread().interrupt();
        }
        return false;
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    /** Outputs that can never be written. */
    private static final class PublishFailedException extends RuntimeException {
        PublishFailedException(Throwable cause) {
            super(cause);
        }
    }
}
