package io.inferenceworker.cli;

import io.inferenceworker.schemas.CompletionChunk;
import io.inferenceworker.schemas.CompletionRequest;
import io.inferenceworker.schemas.CompletionResult;
import io.inferenceworker.schemas.UsageRecord;
import io.inferenceworker.schemas.VoteRecord;
import io.inferenceworker.schemas.VoteRequest;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/** The worker's topics, as {@code tail} names them, with the record type of their values. */
enum TopicKind {
    REQUESTS("requests", CompletionRequest.class),
    RESULTS("results", CompletionResult.class),
    USAGE("usage", UsageRecord.class),
    CHUNKS("chunks", CompletionChunk.class),
    VOTE_REQUESTS("vote-requests", VoteRequest.class),
    VOTES("votes", VoteRecord.class),
    /**
     * Dead letters: the original record's bytes, a request or a vote request (both land in the one dead-letter topic)
     * or bytes that do not decode at all; decoded by each record's schema.
     */
    DLQ("dlq", null);

    private final String label;
    private final Class<? extends SpecificRecord> valueType;

    TopicKind(String label, Class<? extends SpecificRecord> valueType) {
        this.label = label;
        this.valueType = valueType;
    }

    String label() {
        return label;
    }

    /** The one record type of the topic's values; empty when it holds several (decode by each record's schema). */
    Optional<Class<? extends SpecificRecord>> valueType() {
        return Optional.ofNullable(valueType);
    }

    /** The kind with this label, ignoring case and surrounding blanks. */
    static Optional<TopicKind> ofLabel(String label) {
        String wanted = label.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(k -> k.label.equals(wanted)).findFirst();
    }

    /** The labels, for picocli's completion candidates and the usage help. */
    static final class Labels implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(values()).map(TopicKind::label).iterator();
        }
    }
}
