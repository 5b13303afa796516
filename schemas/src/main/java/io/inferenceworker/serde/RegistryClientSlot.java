package io.inferenceworker.serde;

/**
 * The registry client a serializer or deserializer uses: the one passed to its constructor (shared, never
 * closed here), or one it builds from its configuration (owned, closed with it; rebuilt on reconfiguration).
 *
 * <p>Thread-safe.
 */
final class RegistryClientSlot implements AutoCloseable {

    private final SchemaRegistryClient provided;
    private SchemaRegistryClient owned;

    /** @param provided the caller's client, or {@code null} to build one from the configuration */
    RegistryClientSlot(SchemaRegistryClient provided) {
        this.provided = provided;
    }

    /** The provided client if any; otherwise a new cached REST client for {@code config}. */
    synchronized SchemaRegistryClient clientFor(AvroSerdeConfig config) {
        if (provided != null) {
            return provided;
        }
        SchemaRegistryClient fresh = CachedSchemaRegistryClient.of(config);
        if (owned != null) {
            owned.close();
        }
        owned = fresh;
        return fresh;
    }

    @Override
    public synchronized void close() {
        if (owned != null) {
            owned.close();
            owned = null;
        }
    }
}
