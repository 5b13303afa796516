package io.inferenceworker.job;

import io.inferenceworker.provider.ChatReply;
import io.inferenceworker.provider.guard.Guarded;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;

/**
 * The trace of one job, told what happens in the order it happens on the job's thread:
 * {@link #decoded} → ({@link #attemptStarted} → {@link #attemptEnded})* → {@link #publishing} → {@link #ended} →
 * {@link #close}. Any step may be missing (an undecodable record is never decoded; a job interrupted at shutdown never
 * ends); {@link #close} ends whatever is still open.
 *
 * <p>Confined to the job's thread, except {@link #outputHeaders}, which only reads.
 */
public interface JobTrace extends AutoCloseable {

    /** The record decoded into {@code job}. */
    void decoded(Job job);

    /**
     * A try through the instance's protections begins.
     *
     * @return the W3C {@code traceparent} to send with the provider call, when there is a trace context
     */
    Optional<String> attemptStarted(int attempt, String instance, String dialect, String model);

    /** The try that {@link #attemptStarted} began came to {@code outcome}. */
    void attemptEnded(Guarded<ChatReply> outcome);

    /** The job's outputs are about to be sent to {@code topic} (and its usage and chunks topics). */
    void publishing(String topic);

    /** A fresh set of headers carrying the trace context, for one output record of the job. */
    Headers outputHeaders();

    /**
     * The job ended with {@code status} ({@code succeeded}, {@code failed}, {@code expired}, {@code invalid},
     * {@code undecodable}, {@code publish_failed}); {@code error} says why for every status but {@code succeeded}.
     */
    void ended(String status, Optional<String> error);

    /** Ends whatever is open and clears the thread's logging context; never throws. */
    @Override
    void close();
}
