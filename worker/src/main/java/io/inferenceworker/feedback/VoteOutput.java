package io.inferenceworker.feedback;

import io.inferenceworker.schemas.VoteRecord;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KeyValue;

/** What the vote joiner emits: a vote record for the votes topic, or a dead letter. */
sealed interface VoteOutput {

    /** A vote with its job and forwarding outcome, keyed by job ID. */
    record Recorded(VoteRecord record) implements VoteOutput {
        public Recorded {
            Objects.requireNonNull(record, "record");
        }
    }

    /** A vote that cannot be recorded, as {@link io.inferenceworker.publish.DeadLetters} built it. */
    record DeadLetter(ProducerRecord<byte[], byte[]> letter) implements VoteOutput {
        public DeadLetter {
            Objects.requireNonNull(letter, "letter");
        }
    }

    /** The vote record of a {@link Recorded}, none otherwise. */
    static List<VoteRecord> recorded(VoteOutput output) {
        return output instanceof Recorded r ? List.of(r.record()) : List.of();
    }

    /** The original key and value of a {@link DeadLetter}, none otherwise (its headers travel with the record). */
    static List<KeyValue<byte[], byte[]>> deadLettered(VoteOutput output) {
        return output instanceof DeadLetter d ? List.of(KeyValue.pair(d.letter().key(), d.letter().value()))
                : List.of();
    }
}
