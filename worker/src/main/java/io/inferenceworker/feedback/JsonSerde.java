package io.inferenceworker.feedback;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * JSON (Jackson) serde of the component's own state records ({@link JobFacts}, {@link PendingVote}): they live only
 * in its state stores and changelog topics, never in a contract topic, so they need no registered schema. Unknown
 * properties are ignored so a newer worker's state stays readable by an older one. Thread-safe.
 *
 * @param <T> a record type
 */
final class JsonSerde<T> implements Serde<T> {
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Class<T> type;

    JsonSerde(Class<T> type) {
        this.type = Objects.requireNonNull(type, "type");
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> {
            if (value == null) {
                return null;
            }
            try {
                return JSON.writeValueAsBytes(value);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + type.getSimpleName() + " as JSON", e);
            }
        };
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return JSON.readValue(bytes, type);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + type.getSimpleName() + " from " + topic, e);
            }
        };
    }
}
