package io.inferenceworker.serde;

import org.apache.avro.Schema;

/**
 * The Confluent Schema Registry operations the Avro serde needs. Implementations:
 * {@link RestSchemaRegistryClient} (one HTTP request per call) and {@link CachedSchemaRegistryClient}
 * (what serializers use: after warm-up no request per record). Share one cached client between serializers
 * and deserializers by passing it to their constructors.
 *
 * <p>Every method throws {@link RegistryUnavailableException} when the registry cannot be reached (transient),
 * {@link RegistryAccessException} when it refuses our identity, and {@link RegistryRequestException} for a
 * definitive refusal; the method descriptions name the other cases. Implementations are thread-safe.
 */
public interface SchemaRegistryClient extends AutoCloseable {

    /**
     * Registers {@code schema} under {@code subject} ({@code POST /subjects/{subject}/versions}); idempotent.
     *
     * @return the schema's global id
     * @throws RegistryRequestException 409 when incompatible with the subject, 422 when invalid
     */
    int register(String subject, Schema schema);

    /**
     * The id of {@code schema} if it is already registered under {@code subject} ({@code POST /subjects/{subject}}).
     *
     * @throws RegistryRequestException with error code 40401 (no such subject) or 40403 (not under it)
     */
    int lookupId(String subject, Schema schema);

    /**
     * The schema with global id {@code id} ({@code GET /schemas/ids/{id}}).
     *
     * @throws UnknownSchemaIdException     if the registry answers 40403
     * @throws IncompatibleSchemaException if the registry holds a non-Avro schema, one with references, or an
     *                                     unparseable one under that id
     */
    Schema getById(int id);

    /**
     * The latest version registered under {@code subject} ({@code GET /subjects/{subject}/versions/latest}).
     *
     * @throws RegistryRequestException with error code 40401 if the subject does not exist
     */
    RegisteredSchema latest(String subject);

    /** Releases HTTP resources; a no-op for clients that hold none. */
    @Override
    default void close() {
    }
}
