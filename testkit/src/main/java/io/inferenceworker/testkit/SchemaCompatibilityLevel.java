package io.inferenceworker.testkit;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * The compatibility levels of the Confluent Schema Registry, decided with Avro's own
 * {@link SchemaCompatibility} rules.
 *
 * <ul>
 *   <li>BACKWARD: consumers using the new schema can read data written with the old one
 *       (new = reader, old = writer).</li>
 *   <li>FORWARD: consumers still on the old schema can read data written with the new one
 *       (old = reader, new = writer).</li>
 *   <li>FULL: both.</li>
 *   <li>{@code _TRANSITIVE}: against every registered version instead of only the latest.</li>
 *   <li>NONE: anything goes.</li>
 * </ul>
 */
enum SchemaCompatibilityLevel {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    private final boolean newReadsOld;
    private final boolean oldReadsNew;
    private final boolean transitive;

    SchemaCompatibilityLevel(boolean newReadsOld, boolean oldReadsNew, boolean transitive) {
        this.newReadsOld = newReadsOld;
        this.oldReadsNew = oldReadsNew;
        this.transitive = transitive;
    }

    /** Parses a level name as the registry's REST API spells it; case-insensitive. */
    static Optional<SchemaCompatibilityLevel> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(name.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException unknown) {
            return Optional.empty();
        }
    }

    /**
     * Whether {@code candidate} may be registered after {@code existingOldestFirst}.
     *
     * @param candidate           the schema being registered or tested
     * @param existingOldestFirst the subject's registered versions, oldest first
     */
    boolean allows(Schema candidate, List<Schema> existingOldestFirst) {
        if (existingOldestFirst.isEmpty()) {
            return true;
        }
        List<Schema> checked = transitive
                ? existingOldestFirst
                : List.of(existingOldestFirst.getLast());
        for (Schema existing : checked) {
            if (newReadsOld && !canRead(candidate, existing)) {
                return false;
            }
            if (oldReadsNew && !canRead(existing, candidate)) {
                return false;
            }
        }
        return true;
    }

    private static boolean canRead(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType()
                == SchemaCompatibilityType.COMPATIBLE;
    }
}
