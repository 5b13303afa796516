package io.inferenceworker.serde.testdata;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * A hand-written specific record (what avro-maven-plugin would generate, minus builders) for the serde tests:
 * version 2 of the test "Greeting" contract, whose version 1 lacks the defaulted {@code language} field.
 */
public class Greeting extends SpecificRecordBase {

    public static final Schema SCHEMA$ = new Schema.Parser().parse("""
            {"type": "record", "name": "Greeting", "namespace": "io.inferenceworker.serde.testdata",
             "fields": [
               {"name": "text", "type": "string"},
               {"name": "count", "type": "int"},
               {"name": "language", "type": "string", "default": "en"}
             ]}""");

    /** Version 1 of the contract: no language. */
    public static final Schema V1 = new Schema.Parser().parse("""
            {"type": "record", "name": "Greeting", "namespace": "io.inferenceworker.serde.testdata",
             "fields": [
               {"name": "text", "type": "string"},
               {"name": "count", "type": "int"}
             ]}""");

    private String text;
    private int count;
    private String language;

    /** For Avro's reflection. */
    public Greeting() {
    }

    public Greeting(String text, int count, String language) {
        this.text = text;
        this.count = count;
        this.language = language;
    }

    public String getText() {
        return text;
    }

    public int getCount() {
        return count;
    }

    public String getLanguage() {
        return language;
    }

    @Override
    public Schema getSchema() {
        return SCHEMA$;
    }

    @Override
    public Object get(int field) {
        return switch (field) {
            case 0 -> text;
            case 1 -> count;
            case 2 -> language;
            default -> throw new IndexOutOfBoundsException("no field " + field);
        };
    }

    @Override
    public void put(int field, Object value) {
        switch (field) {
            case 0 -> text = value == null ? null : value.toString();
            case 1 -> count = (Integer) value;
            case 2 -> language = value == null ? null : value.toString();
            default -> throw new IndexOutOfBoundsException("no field " + field);
        }
    }
}
