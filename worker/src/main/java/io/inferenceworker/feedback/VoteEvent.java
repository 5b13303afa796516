package io.inferenceworker.feedback;

/** What the vote joiner reacts to, both keyed by job ID: a vote request arrived, or a job's result did. */
sealed interface VoteEvent {
    /** The one {@link Settled} event: it says only that the key's result is in the results table now. */
    Settled SETTLED = new Settled();

    /**
     * A vote request, still undecoded so that a bad one can be dead-lettered byte for byte.
     *
     * @param key   the original key bytes, or null
     * @param value the original value bytes, or null
     */
    record Arrived(byte[] key, byte[] value) implements VoteEvent {
    }

    /** A job's result arrived (it is in the results table now). */
    record Settled() implements VoteEvent {
    }
}
