package io.inferenceworker.feedback;

import java.util.Objects;

/** What the vote joiner reacts to, both keyed by job ID: a vote request arrived, or a job's result did. */
sealed interface VoteEvent {

    /**
     * A vote request, still undecoded so that a bad one can be dead-lettered byte for byte.
     *
     * @param key   the original key bytes, or null
     * @param value the original value bytes, or null
     */
    record Arrived(byte[] key, byte[] value) implements VoteEvent {
    }

    /** A job's result arrived (its facts are in the jobs table now). */
    record Settled(JobFacts facts) implements VoteEvent {
        public Settled {
            Objects.requireNonNull(facts, "facts");
        }
    }
}
