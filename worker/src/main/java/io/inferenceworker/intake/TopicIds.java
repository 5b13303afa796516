package io.inferenceworker.intake;

import java.util.Optional;
import org.apache.kafka.common.Uuid;

/**
 * Looks up a topic's ID, which tells a topic from one deleted and recreated under the same name. The consumer API
 * does not expose topic IDs, hence a lookup of its own.
 *
 * <p>Implementations are thread-safe and return within a bounded time.
 */
@FunctionalInterface
public interface TopicIds {

    /** The topic's current ID; empty when it cannot be known now (then nothing is trusted on its account). */
    Optional<Uuid> lookup(String topic);

    /** Never knows: completed offsets are then neither written nor trusted. */
    static TopicIds unknown() {
        return topic -> Optional.empty();
    }
}
