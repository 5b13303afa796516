package io.inferenceworker.serde;

/**
 * The record names a schema id that the registry does not know: it answered 404 with Confluent error code
 * 40403. Typically a record produced against another registry, or a corrupt header. (A 404 without that
 * error code means a wrong registry URL and is a {@link RegistryRequestException}, not poison.)
 */
public final class UnknownSchemaIdException extends PoisonRecordException {

    private static final long serialVersionUID = 1L;

    /**
     * @param schemaId the unknown id
     * @param registry the registry that answered (user info already stripped)
     */
    public UnknownSchemaIdException(int schemaId, String registry) {
        super("schema id " + schemaId + " is not known to the schema registry at " + registry
                + " (error 40403)", schemaId, null);
    }
}
