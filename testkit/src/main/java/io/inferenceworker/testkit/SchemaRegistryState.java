package io.inferenceworker.testkit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;

/**
 * The registry's data: schemas by global id, subjects with their versions, compatibility levels.
 *
 * <p>Mirrors the Confluent Schema Registry's rules that clients can observe: ids are global and given to a
 * schema once (the same schema under two subjects has one id); registering a schema a subject already has
 * returns its id without a new version; a new version must pass the subject's compatibility level (or
 * the global one, default BACKWARD). Schemas are compared by their canonical form (parsed, then printed
 * by Avro), so whitespace does not matter. Deleting a subject forgets its versions; ids stay readable.
 *
 * <p>Thread-safe: every method holds the instance lock.
 */
final class SchemaRegistryState {

    /** One version of a subject. */
    record SubjectVersion(String subject, int version, int id, String schema) {
    }

    private final Map<String, Integer> idsByCanonicalSchema = new HashMap<>();
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, List<Integer>> idsBySubject = new LinkedHashMap<>();
    private final Map<String, SchemaCompatibilityLevel> subjectLevels = new HashMap<>();
    private SchemaCompatibilityLevel globalLevel = SchemaCompatibilityLevel.BACKWARD;
    private int nextId;

    SchemaRegistryState(int firstId) {
        this.nextId = firstId;
    }

    /** Registers {@code schemaText} under {@code subject}; returns its global id. */
    synchronized int register(String subject, String schemaText) {
        Schema schema = parse(schemaText);
        String canonical = schema.toString();
        Integer knownId = idsByCanonicalSchema.get(canonical);
        List<Integer> versions = idsBySubject.getOrDefault(subject, List.of());
        if (knownId != null && versions.contains(knownId)) {
            return knownId;
        }
        SchemaCompatibilityLevel level = levelOf(subject);
        if (!level.allows(schema, schemasOf(versions))) {
            throw SchemaRegistryError.incompatible(subject, level.name());
        }
        int id = knownId != null ? knownId : newId(canonical, schema);
        idsBySubject.computeIfAbsent(subject, s -> new ArrayList<>()).add(id);
        return id;
    }

    /** The version of {@code subject} that holds {@code schemaText}. */
    synchronized SubjectVersion lookup(String subject, String schemaText) {
        String canonical = parse(schemaText).toString();
        List<Integer> versions = versionsOf(subject);
        Integer id = idsByCanonicalSchema.get(canonical);
        int index = id == null ? -1 : versions.indexOf(id);
        if (index < 0) {
            throw SchemaRegistryError.schemaNotUnderSubject(subject);
        }
        return new SubjectVersion(subject, index + 1, id, canonical);
    }

    synchronized String schemaById(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw SchemaRegistryError.schemaIdNotFound(id);
        }
        return schema.toString();
    }

    /** Every (subject, version) that uses schema {@code id}. */
    synchronized List<SubjectVersion> usagesOf(int id) {
        String schema = schemaById(id);
        List<SubjectVersion> usages = new ArrayList<>();
        idsBySubject.forEach((subject, ids) -> {
            for (int i = 0; i < ids.size(); i++) {
                if (ids.get(i) == id) {
                    usages.add(new SubjectVersion(subject, i + 1, id, schema));
                }
            }
        });
        return usages;
    }

    synchronized List<String> subjects() {
        return List.copyOf(new TreeSet<>(idsBySubject.keySet()));
    }

    synchronized List<Integer> versionNumbers(String subject) {
        int count = versionsOf(subject).size();
        List<Integer> numbers = new ArrayList<>(count);
        for (int version = 1; version <= count; version++) {
            numbers.add(version);
        }
        return numbers;
    }

    /** A version by number or {@code latest}. */
    synchronized SubjectVersion version(String subject, String versionSpec) {
        List<Integer> versions = versionsOf(subject);
        int version = parseVersion(versionSpec, versions.size());
        if (version < 1 || version > versions.size()) {
            throw SchemaRegistryError.versionNotFound(subject, versionSpec);
        }
        int id = versions.get(version - 1);
        return new SubjectVersion(subject, version, id, schemasById.get(id).toString());
    }

    /**
     * Whether {@code schemaText} could be registered next under {@code subject}: with {@code versionSpec}
     * "latest" (or a non-transitive level) against the version named, with a transitive level against all
     * versions up to it.
     */
    synchronized boolean isCompatible(String subject, String versionSpec, String schemaText) {
        Schema candidate = parse(schemaText);
        List<Integer> versions = versionsOf(subject);
        int version = parseVersion(versionSpec, versions.size());
        if (version < 1 || version > versions.size()) {
            throw SchemaRegistryError.versionNotFound(subject, versionSpec);
        }
        return levelOf(subject).allows(candidate, schemasOf(versions.subList(0, version)));
    }

    synchronized SchemaCompatibilityLevel globalLevel() {
        return globalLevel;
    }

    synchronized void setGlobalLevel(SchemaCompatibilityLevel level) {
        globalLevel = level;
    }

    synchronized Optional<SchemaCompatibilityLevel> subjectLevel(String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }

    synchronized void setSubjectLevel(String subject, SchemaCompatibilityLevel level) {
        subjectLevels.put(subject, level);
    }

    /** Forgets a subject's versions and level; returns the version numbers it had. */
    synchronized List<Integer> deleteSubject(String subject) {
        List<Integer> numbers = versionNumbers(subject);
        idsBySubject.remove(subject);
        subjectLevels.remove(subject);
        return numbers;
    }

    private SchemaCompatibilityLevel levelOf(String subject) {
        return subjectLevels.getOrDefault(subject, globalLevel);
    }

    private List<Integer> versionsOf(String subject) {
        List<Integer> versions = idsBySubject.get(subject);
        if (versions == null) {
            throw SchemaRegistryError.subjectNotFound(subject);
        }
        return versions;
    }

    private List<Schema> schemasOf(List<Integer> ids) {
        return ids.stream().map(schemasById::get).toList();
    }

    private int newId(String canonical, Schema schema) {
        int id = nextId++;
        idsByCanonicalSchema.put(canonical, id);
        schemasById.put(id, schema);
        return id;
    }

    private static int parseVersion(String versionSpec, int latest) {
        if ("latest".equals(versionSpec) || "-1".equals(versionSpec)) {
            return latest;
        }
        try {
            int version = Integer.parseInt(versionSpec);
            if (version < 1) {
                throw SchemaRegistryError.invalidVersion(versionSpec);
            }
            return version;
        } catch (NumberFormatException notANumber) {
            throw SchemaRegistryError.invalidVersion(versionSpec);
        }
    }

    private static Schema parse(String schemaText) {
        if (schemaText == null || schemaText.isBlank()) {
            throw SchemaRegistryError.invalidSchema("empty schema");
        }
        try {
            return new Schema.Parser().parse(schemaText);
        } catch (AvroRuntimeException | IllegalArgumentException invalid) {
            // SchemaParseException for malformed JSON/shapes, AvroTypeException for defaults of the wrong type.
            throw SchemaRegistryError.invalidSchema(String.valueOf(invalid.getMessage()));
        }
    }
}
