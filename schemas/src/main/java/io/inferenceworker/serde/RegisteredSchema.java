package io.inferenceworker.serde;

import java.util.Objects;

import org.apache.avro.Schema;

/**
 * A schema as registered under a subject: its version within the subject and its global id.
 *
 * @param subject the subject, e.g. {@code requests-value}
 * @param version the version within the subject, from 1
 * @param id      the registry-wide schema id written into the wire format
 * @param schema  the parsed Avro schema
 */
public record RegisteredSchema(String subject, int version, int id, Schema schema) {

    public RegisteredSchema {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(schema, "schema");
    }
}
