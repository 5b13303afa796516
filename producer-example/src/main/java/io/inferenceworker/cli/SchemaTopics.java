package io.inferenceworker.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;

/**
 * The topics whose values have a schema of their own, with their records: every {@link TopicKind} but the
 * dead-letter topic, whose values are the original requests' (or votes') bytes under those topics' schema IDs.
 */
final class SchemaTopics {

    private SchemaTopics() {
    }

    /** The kinds with a value schema of their own, in {@link TopicKind} order. */
    static List<TopicKind> all() {
        return Arrays.stream(TopicKind.values()).filter(kind -> kind != TopicKind.DLQ).toList();
    }

    /** The schema of the kind's records: the generated class's own, every named type inlined. */
    static Schema schemaOf(TopicKind kind) {
        Class<?> type = kind.valueType().orElseThrow();
        return SpecificData.getForClass(type).getSchema(type);
    }

    /** The record's simple name, e.g. {@code CompletionRequest}. */
    static String recordName(TopicKind kind) {
        return kind.valueType().orElseThrow().getSimpleName();
    }

    /** The kind whose record has this simple name, ignoring case. */
    static Optional<TopicKind> byRecordName(String name) {
        return all().stream().filter(kind -> recordName(kind).equalsIgnoreCase(name.trim())).findFirst();
    }

    /** The kind with this label ({@code requests}, {@code vote-requests}, ...), ignoring case. */
    static Optional<TopicKind> byLabel(String label) {
        return TopicKind.ofLabel(label).filter(kind -> kind != TopicKind.DLQ);
    }

    /** The kind named by its label or by its configured topic name ({@code inference.requests}). */
    static Optional<TopicKind> byTopic(String topic, KafkaOptions options) {
        return byLabel(topic).or(() -> all().stream()
                .filter(kind -> topic.trim().equals(options.topicOf(kind))).findFirst());
    }

    /** The record names, for messages. */
    static List<String> recordNames() {
        return all().stream().map(SchemaTopics::recordName).toList();
    }
}
