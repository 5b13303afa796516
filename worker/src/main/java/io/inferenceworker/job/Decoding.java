package io.inferenceworker.job;

import java.util.Objects;

/** The result of decoding one request record: a job, or a poison record to dead-letter. */
public sealed interface Decoding {

    record Decoded(Job job) implements Decoding {
        public Decoded {
            Objects.requireNonNull(job, "job");
        }
    }

    /**
     * The record can never be decoded (bad magic byte, unknown schema ID, corrupt Avro, no key, no value).
     *
     * @param reason what is wrong, without payload bytes
     * @param cause  the decoding error, or a description of the missing part
     */
    record Poison(String reason, RuntimeException cause) implements Decoding {
        public Poison {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(cause, "cause");
        }
    }
}
