package io.inferenceworker.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.apache.avro.Schema;
import org.apache.avro.SchemaFormatter;
import org.apache.avro.specific.SpecificData;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The top-level records' schemas as self-contained files, for producers and consumers outside Java: the sources in
 * {@code src/main/avro} refer to the shared types of {@code common/} by name, so a Node or Python client would have
 * to assemble them; each file written here has every named type inlined where it is first used.
 *
 * <p>The build runs {@link #main} after compiling (exec-maven-plugin, {@code process-classes}), so the files are in
 * the jar under {@value #RESOURCE_FOLDER}{@code /<Record>.avsc}. Each is the pretty JSON of the generated class's
 * own schema, so it is exactly what the Java serializer registers: registering the file from another language and
 * producing with Java resolve to the same schema ID.
 */
public final class SelfContainedSchemas {

    /** Classpath folder (and folder inside the jar) of the self-contained schemas. */
    public static final String RESOURCE_FOLDER = "self-contained";

    private static final ObjectMapper JSON = new ObjectMapper();

    private SelfContainedSchemas() {
    }

    /**
     * {@code SelfContainedSchemas <avro source folder> <output folder>}: writes {@code <Record>.avsc} into the output
     * folder for each top-level schema file of the source folder (its sub-folders hold shared types, not records
     * published on a topic).
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: SelfContainedSchemas <avro source folder> <output folder>");
        }
        write(Path.of(args[0]), Path.of(args[1])); // silent, like the rest of a quiet (-q) build
    }

    /**
     * Writes the self-contained schema of each top-level record defined in {@code sourceFolder}, replacing the
     * {@code .avsc} files already in {@code outputFolder} (a record removed from the sources leaves none behind).
     *
     * @return the files written, in file name order
     * @throws IllegalStateException if a source has no generated class on the classpath
     */
    public static List<Path> write(Path sourceFolder, Path outputFolder) throws IOException {
        Objects.requireNonNull(sourceFolder, "sourceFolder");
        Objects.requireNonNull(outputFolder, "outputFolder");
        Files.createDirectories(outputFolder);
        for (Path stale : avscFiles(outputFolder)) {
            Files.delete(stale);
        }
        List<Path> written = new ArrayList<>();
        for (Path source : avscFiles(sourceFolder)) {
            Schema schema = schemaOfGeneratedClass(fullName(source));
            Path target = outputFolder.resolve(schema.getName() + ".avsc");
            Files.writeString(target, pretty(schema), StandardCharsets.UTF_8);
            written.add(target);
        }
        return written;
    }

    /** The self-contained schema text of a generated class, as written to the files (ending with a newline). */
    public static String pretty(Schema schema) {
        return SchemaFormatter.format("json/pretty", schema) + "\n";
    }

    /**
     * Reads a shipped file from the classpath, e.g. {@code read("CompletionRequest")}.
     *
     * @throws IllegalArgumentException if there is none by that name
     */
    public static String read(String recordName) {
        String resource = RESOURCE_FOLDER + "/" + recordName + ".avsc";
        try (InputStream in = SelfContainedSchemas.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("No self-contained schema " + resource + " on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + resource, e);
        }
    }

    private static List<Path> avscFiles(Path folder) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, "*.avsc")) {
            entries.forEach(entry -> {
                if (Files.isRegularFile(entry)) {
                    files.add(entry);
                }
            });
        }
        files.sort(null);
        return files;
    }

    /** Namespace and name of the record a source file defines; only these two members are read. */
    private static String fullName(Path source) throws IOException {
        JsonNode root = JSON.readTree(source.toFile());
        String name = root.path("name").asText("");
        String namespace = root.path("namespace").asText("");
        if (name.isEmpty()) {
            throw new IllegalStateException(source + " defines no named type");
        }
        return name.contains(".") || namespace.isEmpty() ? name : namespace + "." + name;
    }

    private static Schema schemaOfGeneratedClass(String className) {
        Class<?> type;
        try {
            type = Class.forName(className, false, SelfContainedSchemas.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("No generated class " + className + " on the classpath: the Avro plugin "
                    + "generates one per schema before this runs", e);
        }
        return SpecificData.getForClass(type).getSchema(type);
    }
}
