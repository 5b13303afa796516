package io.inferenceworker.testkit.sim;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/** Unique identifiers for one simulator: completion IDs, tool-call IDs, request IDs. Thread-safe. */
final class Ids {

    private final AtomicLong completions = new AtomicLong();
    private final AtomicLong others = new AtomicLong();
    private final long instance = ThreadLocalRandom.current().nextLong();

    String completionId() {
        return "chatcmpl-" + completions.incrementAndGet();
    }

    String toolCallId() {
        return "call_" + others.incrementAndGet();
    }

    String requestId() {
        return "req_" + Long.toHexString(instance & 0xffffffL) + "_" + others.incrementAndGet();
    }

    /** A UUID-formatted ID, as NVCF uses for {@code NVCF-REQID}. */
    String uuid() {
        return new UUID(instance, others.incrementAndGet()).toString();
    }
}
