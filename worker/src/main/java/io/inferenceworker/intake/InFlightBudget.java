package io.inferenceworker.intake;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What one worker may have in flight: a number of jobs and a number of request bytes (record key + value).
 *
 * <p>Why bytes too: what a job holds on the heap grows with its prompt (the record kept for a dead letter, the decoded
 * request, the provider's JSON body — about five times the record), so a job count that is safe for 200-byte prompts
 * runs out of memory with 8 KB ones. Like the producer's {@code buffer.memory}, the byte budget makes the worker wait
 * instead. One job is always admitted when none is in flight, however large, so a record bigger than the budget still
 * runs (alone) rather than blocking its partition forever.
 *
 * <p>Thread-safety: all methods may be called from any thread.
 */
final class InFlightBudget {
    private final int maxJobs;
    private final long maxBytes;
    private int jobs;
    private long bytes;

    InFlightBudget(int maxJobs, long maxBytes) {
        if (maxJobs < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("in-flight limits must be >= 1, were " + maxJobs + " jobs and "
                    + maxBytes + " bytes");
        }
        this.maxJobs = maxJobs;
        this.maxBytes = maxBytes;
    }

    /** Takes room for one job of {@code size} bytes if both limits allow it. */
    synchronized boolean tryAcquire(long size) {
        if (jobs >= maxJobs || (jobs > 0 && bytes + size > maxBytes)) {
            return false;
        }
        jobs++;
        bytes += size;
        return true;
    }

    /** Gives back what {@link #tryAcquire} took for a job of {@code size} bytes. */
    synchronized void release(long size) {
        if (jobs == 0) {
            throw new IllegalStateException("released more jobs than were acquired");
        }
        jobs--;
        bytes -= size;
    }

    synchronized int jobs() {
        return jobs;
    }

    synchronized long bytes() {
        return bytes;
    }

    /** The bytes a record counts for: its key and value as they arrived. */
    static long sizeOf(ConsumerRecord<byte[], byte[]> record) {
        return (long) (record.key() == null ? 0 : record.key().length)
                + (record.value() == null ? 0 : record.value().length);
    }
}
