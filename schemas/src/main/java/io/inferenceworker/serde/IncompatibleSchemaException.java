package io.inferenceworker.serde;

/**
 * The writer's schema exists but this reader cannot use it: it cannot be resolved against the reader's
 * schema (Avro schema resolution, e.g. a field the reader needs has no default), no generated class matches
 * its name when a specific reader is required, or the registry holds it as something other than a parseable
 * Avro schema without references.
 */
public final class IncompatibleSchemaException extends PoisonRecordException {

    private static final long serialVersionUID = 1L;

    /**
     * @param description why the schema cannot be used (schema names and Avro's incompatibility report)
     * @param schemaId    the writer schema id
     * @param cause       the underlying error, or {@code null}
     */
    public IncompatibleSchemaException(String description, int schemaId, Throwable cause) {
        super(description, schemaId, cause);
    }
}
