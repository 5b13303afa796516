package io.inferenceworker.cli;

import java.util.Objects;
import java.util.Optional;

/**
 * A topic as a command names it ({@link KafkaOptions#topicRef}).
 *
 * @param name the topic's name
 * @param kind which of the worker's topics it is; empty for any other topic
 */
record TopicRef(String name, Optional<TopicKind> kind) {
    TopicRef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
    }

    boolean isDeadLetters() {
        return kind.filter(TopicKind.DLQ::equals).isPresent();
    }
}
