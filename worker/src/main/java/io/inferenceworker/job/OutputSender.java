package io.inferenceworker.job;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import io.inferenceworker.publish.OutputPublisher;
import io.inferenceworker.serde.RegistryUnavailableException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a job's output records, each on its own: an output that fails transiently (a Kafka
 * {@link RetriableException} or {@link TimeoutException}, a {@link RegistryUnavailableException}) is re-sent by
 * Failsafe with backoff, the others are never sent twice. Any other failure (record too large, authorization,
 * serialization) is final at once.
 *
 * <p>Outputs ({@link #send}) are retried for at most the publish timeout, and {@link #await} waits for them at most
 * that long from when the job starts publishing; dead letters ({@link #deliverDeadLetter}) are a job's last output
 * and are retried until they are acknowledged or the job's thread is interrupted (shutdown).
 *
 * <p>The first send of an output goes straight to the producer, with no Failsafe overhead (the hot path); Failsafe
 * takes over only after a transient failure, with its two retry policies built once for every job.
 *
 * <p>Thread-safe.
 */
final class OutputSender {
    private static final Logger LOG = LoggerFactory.getLogger(OutputSender.class);
    private static final Duration BACKOFF_MIN = Duration.ofMillis(200);
    private static final Duration BACKOFF_MAX = Duration.ofSeconds(10);
    private static final Duration DEAD_LETTER_BACKOFF_MAX = Duration.ofSeconds(30);

    /**
     * One output record on its way.
     *
     * @param output      its name in reasons and logs ({@code result}, {@code usage}, ...)
     * @param acked       completes when Kafka acknowledged it, or fails for good
     * @param lastFailure the latest failed send, if any (for the reason when the publish timeout passes)
     */
    record Sent(String output, CompletableFuture<RecordMetadata> acked, AtomicReference<Throwable> lastFailure) {
        Sent {
            Objects.requireNonNull(output, "output");
            Objects.requireNonNull(acked, "acked");
            Objects.requireNonNull(lastFailure, "lastFailure");
        }
    }

    /** How waiting for a job's outputs ended. */
    sealed interface Delivery {
        /** Every output was acknowledged. */
        record Acked() implements Delivery {
        }

        /** {@code output} failed for good ({@code cause}), or was not acknowledged within the publish timeout. */
        record Failed(String output, Throwable cause) implements Delivery {
        }

        /** The job's thread was interrupted (shutdown). */
        record Interrupted() implements Delivery {
        }
    }

    private static final Delivery ACKED = new Delivery.Acked();
    private static final Delivery INTERRUPTED = new Delivery.Interrupted();

    private final OutputPublisher publisher;
    private final Duration publishTimeout;
    private final FailsafeExecutor<RecordMetadata> resend;
    private final FailsafeExecutor<RecordMetadata> deadLetters;

    OutputSender(OutputPublisher publisher, Duration publishTimeout) {
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.publishTimeout = Objects.requireNonNull(publishTimeout, "publishTimeout");
        // Failsafe wants the longest delay below the max duration; a short publish timeout gets shorter backoffs.
        Duration backoffMax = publishTimeout.dividedBy(4).compareTo(BACKOFF_MAX) < 0
                ? publishTimeout.dividedBy(4) : BACKOFF_MAX;
        Duration backoffMin = backoffMax.dividedBy(2).compareTo(BACKOFF_MIN) < 0 ? backoffMax.dividedBy(2) : BACKOFF_MIN;
        RetryPolicy<RecordMetadata> transientFailures = RetryPolicy.<RecordMetadata>builder()
                .handleIf(OutputSender::isTransient)
                .withBackoff(backoffMin, backoffMax)
                .withMaxRetries(-1)
                .withMaxDuration(publishTimeout)
                .onRetry(e -> LOG.warn("An output failed transiently, re-sending it (attempt {}): {}",
                        e.getAttemptCount(), describe(e.getLastException())))
                .build();
        // Re-sends run on virtual threads: a send may block up to max.block.ms while the producer waits for metadata.
        ExecutorService resendThreads = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("output-resend-", 0).factory());
        this.resend = Failsafe.with(transientFailures).with(resendThreads);
        RetryPolicy<RecordMetadata> untilAcked = RetryPolicy.<RecordMetadata>builder()
                .handleIf(e -> !isInterruption(e))
                .withBackoff(BACKOFF_MIN, DEAD_LETTER_BACKOFF_MAX)
                .withMaxRetries(-1)
                .onRetry(e -> LOG.error("A dead letter could not be written, retrying until it is (attempt {}): {}",
                        e.getAttemptCount(), describe(e.getLastException())))
                .build();
        this.deadLetters = Failsafe.with(untilAcked);
    }

    Duration publishTimeout() {
        return publishTimeout;
    }

    /** Serializes and sends one output; re-sent on transient failures only. */
    Sent send(String output, String topic, String key, SpecificRecord value, Headers headers) {
        AtomicReference<Throwable> lastFailure = new AtomicReference<>();
        return new Sent(output, withResends(() -> publisher.send(topic, key, value, headers)
                .whenComplete((metadata, error) -> {
                    if (error != null) {
                        lastFailure.set(unwrap(error));
                    }
                })), lastFailure);
    }

    /**
     * The first send, then re-sends while it fails transiently. Cancelling the returned future stops the re-sends
     * (a send already handed to the producer may still be written).
     */
    private CompletableFuture<RecordMetadata> withResends(Supplier<CompletableFuture<RecordMetadata>> send) {
        CompletableFuture<RecordMetadata> acked = new CompletableFuture<>();
        send.get().whenComplete((metadata, first) -> {
            if (first == null) {
                acked.complete(metadata);
            } else if (!isTransient(first) || acked.isDone()) {
                acked.completeExceptionally(unwrap(first));
            } else {
                // The failed first send counts as Failsafe's first attempt, so the backoff applies before a re-send.
                CompletableFuture<RecordMetadata> resent = resend.getStageAsync(ctx -> ctx.isFirstAttempt()
                        ? CompletableFuture.failedFuture(unwrap(first)) : send.get());
                resent.whenComplete((m, e) -> {
                    if (e == null) {
                        acked.complete(m);
                    } else {
                        acked.completeExceptionally(unwrap(e));
                    }
                });
                acked.whenComplete((m, e) -> {
                    if (acked.isCancelled()) {
                        resent.cancel(true);
                    }
                });
            }
        });
        return acked;
    }

    /**
     * Waits until every output is acknowledged, one fails for good, or the publish timeout passes; cancels the
     * re-sends of outputs still pending when it gives up.
     */
    Delivery await(List<Sent> outputs) {
        long deadline = System.nanoTime() + publishTimeout.toNanos();
        try {
            for (Sent sent : outputs) {
                Delivery d = await(sent, deadline);
                if (d != ACKED) {
                    outputs.forEach(o -> o.acked().cancel(false));
                    return d;
                }
            }
            return ACKED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outputs.forEach(o -> o.acked().cancel(false));
            return INTERRUPTED;
        }
    }

    private Delivery await(Sent sent, long deadline) throws InterruptedException {
        try {
            sent.acked().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return ACKED;
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = unwrap(e);
            return isInterruption(cause) ? INTERRUPTED : new Delivery.Failed(sent.output(), cause);
        } catch (java.util.concurrent.TimeoutException e) {
            Throwable last = sent.lastFailure().get();
            return new Delivery.Failed(sent.output(), new TimeoutException("not acknowledged within the publish "
                    + "timeout of " + publishTimeout + (last == null ? "" : "; last failure: " + describe(last))));
        } catch (CancellationException e) {
            return new Delivery.Failed(sent.output(), e);
        }
    }

    /**
     * Sends a job's dead letter until Kafka acknowledges it: re-sent after any failure, and replaced once by
     * {@code fallback} (the same dead letter without its value) after a failure that is not transient.
     *
     * @return false when the thread was interrupted (shutdown) before the dead letter was acknowledged
     */
    boolean deliverDeadLetter(ProducerRecord<byte[], byte[]> deadLetter, ProducerRecord<byte[], byte[]> fallback) {
        var next = new AtomicReference<>(deadLetter);
        try {
            deadLetters.run(() -> {
                try {
                    publisher.sendRaw(next.get()).get();
                } catch (ExecutionException e) {
                    Throwable cause = unwrap(e);
                    if (!isTransient(cause) && !isInterruption(cause) && next.get() == deadLetter) {
                        LOG.warn("Dead letter refused ({}); sending it without the original value",
                                describe(cause));
                        next.set(fallback);
                    }
                    throw cause instanceof Exception x ? x : e;
                }
            });
            return true;
        } catch (FailsafeException | InterruptException e) {
            // Only an interruption ends the retries (the policy handles every other failure): shutdown.
            if (e.getCause() instanceof InterruptedException || e instanceof InterruptException) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }

    static boolean isTransient(Throwable t) {
        Throwable cause = unwrap(t);
        return cause instanceof RetriableException || cause instanceof TimeoutException
                || cause instanceof RegistryUnavailableException;
    }

    private static boolean isInterruption(Throwable t) {
        Throwable cause = unwrap(t);
        return cause instanceof InterruptedException || cause instanceof InterruptException;
    }

    private static Throwable unwrap(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException
                || cause instanceof FailsafeException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** The exception's class and message, for logs and dead-letter reasons (Kafka's messages hold no secrets). */
    static String describe(Throwable t) {
        Throwable cause = unwrap(t);
        return cause.getClass().getName() + ": " + cause.getMessage();
    }
}
