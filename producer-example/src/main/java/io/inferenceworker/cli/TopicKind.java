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
import org.apache.avro.specific.SpecificRecord;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** The worker's topics, as {@code tail} names them, with the record type of their values. */
enum TopicKind {
    REQUESTS("requests", CompletionRequest.class),
    RESULTS("results", CompletionResult.class),
    USAGE("usage", UsageRecord.class),
    CHUNKS("chunks", CompletionChunk.class),
    VOTE_REQUESTS("vote-requests", VoteRequest.class),
    VOTES("votes", VoteRecord.class),
    /** Dead letters: the original request bytes, which may not decode at all. */
    DLQ("dlq", CompletionRequest.class);

    private final String label;
    private final Class<? extends SpecificRecord> valueType;

    TopicKind(String label, Class<? extends SpecificRecord> valueType) {
        this.label = label;
        this.valueType = valueType;
    }

    String label() {
        return label;
    }

    Class<? extends SpecificRecord> valueType() {
        return valueType;
    }

    /** Parses a label, ignoring case. */
    static final class Converter implements ITypeConverter<TopicKind> {
        @Override
        public TopicKind convert(String value) {
            String wanted = value.trim().toLowerCase(Locale.ROOT);
            return Arrays.stream(values()).filter(k -> k.label.equals(wanted)).findFirst()
                    .orElseThrow(() -> new TypeConversionException("unknown topic '" + value + "', expected one of "
                            + Arrays.stream(values()).map(TopicKind::label).toList()));
        }
    }

    /** The labels, for picocli's completion candidates and the usage help. */
    static final class Labels implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(values()).map(TopicKind::label).iterator();
        }
    }
}
