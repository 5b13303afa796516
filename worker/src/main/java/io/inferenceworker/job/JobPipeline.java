package io.inferenceworker.job;

import io.inferenceworker.provider.registry.ProviderInstance;
import io.inferenceworker.publish.DeadLetters;
import io.inferenceworker.publish.Destinations;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data path of one request record, on its own virtual thread:
 * decode → validate → (expired?) → provider call with retries → outcome → records out → {@link Disposition}.
 *
 * <p>The returned disposition is reported only after Kafka acknowledged every output of the job. Each output is sent
 * once and re-sent on its own only while it fails transiently ({@link OutputSender}), for at most the publish timeout;
 * an output that cannot be written in that time, or ever (larger than the producer allows, no write permission), is
 * replaced by a dead letter at stage {@code publish}. A dead letter is re-sent until it is acknowledged: a job ends
 * {@link Disposition#ABANDON} only when the pipeline shuts down.
 *
 * <p>Every job's task catches everything, {@link Error}s included: its future always completes, so the intake always
 * gets its slot back; a job that failed unexpectedly is dead-lettered ({@code internal_error}) where possible.
 *
 * <p>Thread-safe. {@link #close(Duration)} stops taking jobs ({@link State#DRAINING}), lets running ones finish within
 * a grace period, then interrupts the rest ({@link State#INTERRUPTING}): from then on a job that did not finish
 * cleanly ends {@link Disposition#ABANDON} and publishes nothing terminal (no FAILED result made of an interrupted
 * attempt, no dead letter), and is replayed by the partition's next owner.
 */
public final class JobPipeline implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobPipeline.class);
    private static final Logger OUTCOMES = LoggerFactory.getLogger("io.inferenceworker.outcomes");

    /** The pipeline's life cycle; it only moves forward. */
    public enum State {
        /** Taking jobs. */
        OPEN,
        /** Closing: no new jobs, running ones may finish within the grace period. */
        DRAINING,
        /** Closing: the grace period is over and running jobs are being interrupted; none may end terminally. */
        INTERRUPTING
    }

    private final JobDecoder decoder;
    private final JobProcessor processor;
    private final JobOutputs outputs;
    private final JobEvents events;
    private final JobTracing tracing;
    private final Clock clock;
    private final boolean logContent;
    private final RunningJobs running;
    private final ExecutorService jobs = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("job-", 0).factory());
    private volatile State state = State.OPEN;

    JobPipeline(JobDecoder decoder, JobProcessor processor, JobOutputs outputs, JobEvents events, JobTracing tracing,
                Clock clock, boolean logContent) {
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        this.processor = Objects.requireNonNull(processor, "processor");
        this.outputs = Objects.requireNonNull(outputs, "outputs");
        this.events = Objects.requireNonNull(events, "events");
        this.tracing = Objects.requireNonNull(tracing, "tracing");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.logContent = logContent;
        this.running = new RunningJobs(clock);
    }

    /** Starts the record's job on a virtual thread; the future never completes exceptionally. */
    public CompletableFuture<Disposition> submit(RequestRecord record) {
        return start(record, () -> run(record));
    }

    /**
     * Dead-letters a record without running its job (for instance a share-group record at its delivery limit), on a
     * job virtual thread, or on a thread of its own once the job threads are closed (shutdown: this dead letter is
     * what keeps such a record from being archived). The future never completes exceptionally:
     * {@link Disposition#DEAD_LETTERED} once Kafka acknowledged the dead letter, {@link Disposition#ABANDON} only when
     * shutdown interrupted the send.
     */
    public CompletableFuture<Disposition> deadLetter(RequestRecord record, DeadLetters.Reason reason) {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(reason, "reason");
        CompletableFuture<Disposition> done = start(record, () -> deadLetterOrAbandon(record, reason));
        if (done.isDone() && done.join() == Disposition.ABANDON && state != State.OPEN) {
            // The job threads are closed (shutdown), but this dead letter is what keeps the record from being lost
            // (a share-group record at its last delivery): it still goes out, on a thread of its own, before the
            // producer closes (the intake stops before the pipeline does).
            CompletableFuture<Disposition> late = new CompletableFuture<>();
            Thread.ofVirtual().name("dead-letter-at-shutdown").start(
                    () -> late.complete(deadLetterOrAbandon(record, reason)));
            return late;
        }
        return done;
    }

    /** Where the pipeline is in its life cycle. */
    public State state() {
        return state;
    }

    /** How long the oldest job running now has been running; empty when none runs. */
    public Optional<Duration> oldestJobAge() {
        return running.oldestAge();
    }

    private CompletableFuture<Disposition> start(RequestRecord record, Supplier<Disposition> job) {
        CompletableFuture<Disposition> done = new CompletableFuture<>();
        try {
            jobs.execute(() -> {
                RunningJobs.Running entry = running.started();
                try {
                    done.complete(job.get());
                } catch (Throwable t) {
                    done.complete(failedUnexpectedly(record, t));
                } finally {
                    running.ended(entry);
                    done.complete(Disposition.ABANDON); // a no-op unless even the dead letter above threw
                }
            });
        } catch (RejectedExecutionException e) {
            done.complete(Disposition.ABANDON);
        }
        return done;
    }

    private Disposition run(RequestRecord record) {
        try (JobTrace trace = tracing.start(record)) {
            return switch (decoder.decode(record)) {
                case Decoding.Poison poison -> deadLetterPoison(record, poison, trace);
                case Decoding.Decoded decoded -> runJob(decoded.job(), trace);
            };
        } catch (JobAbandonedException e) {
            LOG.info("Job at {} abandoned at shutdown; it will be replayed", record.coordinates());
            return Disposition.ABANDON;
        }
    }

    /** A bug of ours (or an {@link Error}) must neither stall the partition nor lose the record: dead-letter it. */
    private Disposition failedUnexpectedly(RequestRecord record, Throwable t) {
        try {
            if (state == State.INTERRUPTING) {
                LOG.info("Job at {} ended by {} at shutdown; it will be replayed", record.coordinates(), t.toString());
                return Disposition.ABANDON;
            }
            LOG.error("Unexpected failure processing {}", record.coordinates(), t);
            return deadLetterOrAbandon(record, DeadLetters.Reason.of(DeadLetters.Stage.PROVIDER,
                    t.getClass().getName(), String.valueOf(t.getMessage()), "internal_error"));
        } catch (Throwable again) {
            return Disposition.ABANDON;
        }
    }

    private Disposition runJob(Job job, JobTrace trace) {
        trace.decoded(job);
        events.onStarted(job.provider(), job.request().getTenant(), job.source().age(clock.instant()));
        Destinations.Decision destination = outputs.destination(job);
        ChunkStream chunks = job.request().getStream() && destination instanceof Destinations.Decision.Granted
                ? outputs.chunkStream(job, destination.topics(), clock, trace) : null;
        Outcome outcome = processor.process(job, destination, chunks, trace);
        // The instance the job ended on (on a route, its last hop): its default model and prices go out with it.
        ProviderInstance instance = processor.providerOf(outcome.job()).orElse(null);
        if (state == State.INTERRUPTING && (outcome instanceof Outcome.Failed || Thread.currentThread().isInterrupted())) {
            // The failure may be the interrupt itself: never make it a terminal result; the next owner reruns it.
            LOG.info("Job {} interrupted at shutdown; it will be replayed", job.id());
            return Disposition.ABANDON;
        }
        List<OutputSender.Sent> sent = outputs.publish(outcome, destination.topics(), instance, chunks, trace);
        switch (outputs.await(sent)) {
            case OutputSender.Delivery.Acked acked -> {
            }
            case OutputSender.Delivery.Interrupted interrupted -> {
                LOG.info("Job {} interrupted at shutdown while publishing; it will be replayed", job.id());
                return Disposition.ABANDON;
            }
            case OutputSender.Delivery.Failed failed -> {
                if (state == State.INTERRUPTING) {
                    return Disposition.ABANDON;
                }
                String why = failed.output() + " could not be written: " + OutputSender.describe(failed.cause());
                LOG.error("Outputs of job {} cannot be written; dead-lettering the request: {}", job.id(), why);
                trace.ended("publish_failed", Optional.of(why));
                return deadLetterOrAbandon(job.source(), DeadLetters.Reason.of(DeadLetters.Stage.PUBLISH,
                                failed.cause().getClass().getName(), why, "publish_failed")
                        .withJob(job.id(), job.provider()).withAttempts(outcome.attempts()));
            }
        }
        logOutcome(outcome, trace);
        Optional<DeadLetters.Reason> deadLetter = outputs.deadLetterReason(outcome);
        if (deadLetter.isPresent()) {
            return deadLetterOrAbandon(job.source(), deadLetter.get());
        }
        return Disposition.DONE;
    }

    private Disposition deadLetterPoison(RequestRecord record, Decoding.Poison poison, JobTrace trace) {
        LOG.warn("Undecodable record at {} dead-lettered: {}", record.coordinates(), poison.reason());
        trace.ended("undecodable", Optional.of(poison.reason()));
        events.onOutcome("unknown", "unknown", null, "undecodable", null);
        return deadLetterOrAbandon(record, DeadLetters.Reason.of(DeadLetters.Stage.DECODE,
                poison.cause().getClass().getName(), poison.reason(), "undecodable"));
    }

    /** Sends the dead letter until it is acknowledged; ABANDON only when shutdown interrupts the wait. */
    private Disposition deadLetterOrAbandon(RequestRecord record, DeadLetters.Reason reason) {
        if (outputs.deadLetter(record, reason)) {
            return Disposition.DEAD_LETTERED;
        }
        LOG.warn("Dead letter for {} not written before shutdown; leaving the record to be replayed",
                record.coordinates());
        return Disposition.ABANDON;
    }

    private void logOutcome(Outcome outcome, JobTrace trace) {
        Job job = outcome.job();
        String status = switch (outcome) {
            case Outcome.Succeeded s -> "SUCCEEDED";
            case Outcome.Failed f -> "FAILED";
            case Outcome.Expired x -> "EXPIRED";
            case Outcome.Invalid i -> "INVALID";
        };
        Duration total = job.source().age(clock.instant());
        String model = job.model() == null ? "default" : job.model();
        events.onOutcome(job.provider(), model, job.request().getTenant(), status.toLowerCase(java.util.Locale.ROOT),
                total);
        trace.ended(status.toLowerCase(java.util.Locale.ROOT), switch (outcome) {
            case Outcome.Succeeded s -> Optional.empty();
            case Outcome.Failed f -> Optional.of(f.cause().code() + ": " + f.cause().getMessage());
            case Outcome.Expired x -> Optional.of(x.reason());
            case Outcome.Invalid i -> Optional.of(i.parameter() + ": " + i.reason());
        });
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
        if (state == State.OPEN) {
            state = State.DRAINING;
        }
        jobs.shutdown();
        try {
            if (jobs.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
            state = State.INTERRUPTING;
            jobs.shutdownNow();
            jobs.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            state = State.INTERRUPTING;
            jobs.shutdownNow();
            Thread.currentThread().interrupt();
        }
        return false;
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }
}
