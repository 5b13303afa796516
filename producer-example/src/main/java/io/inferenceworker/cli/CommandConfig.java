package io.inferenceworker.cli;

import io.inferenceworker.serde.AvroSerdeConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * A {@code --command-config} file: Kafka-style properties (as Kafka's own tools and Confluent's client
 * configuration files write them) split into the Kafka clients' keys and the schema registry client's keys, so
 * credentials live in a file instead of on the command line. Registry keys are Confluent's names, as
 * {@link AvroSerdeConfig} reads them: every key it defines, and anything under {@code schema.registry.},
 * {@code basic.auth.} or {@code bearer.auth.}; every other key is a Kafka client property.
 * {@code bootstrap.servers} and {@code schema.registry.url} are kept apart: they stand in for the options.
 *
 * @param bootstrapServers  {@code bootstrap.servers}, if the file has it
 * @param schemaRegistryUrl {@code schema.registry.url}, if the file has it
 * @param kafka             the Kafka client properties, without {@code bootstrap.servers}
 * @param registry          the registry properties, without {@code schema.registry.url}
 */
record CommandConfig(Optional<String> bootstrapServers, Optional<String> schemaRegistryUrl, Map<String, String> kafka,
                     Map<String, String> registry) {
    private static final Set<String> REGISTRY_PREFIXES = Set.of("schema.registry.", "basic.auth.", "bearer.auth.");
    private static final Set<String> REGISTRY_KEYS = AvroSerdeConfig.configDef().names();

    CommandConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(schemaRegistryUrl, "schemaRegistryUrl");
        kafka = Map.copyOf(kafka);
        registry = Map.copyOf(registry);
    }

    /**
     * Reads a properties file ({@link Properties#load(Reader)} syntax, UTF-8).
     *
     * @throws InputException if it cannot be read; the message names the file, never its content
     */
    static CommandConfig load(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            // IllegalArgumentException: a malformed unicode escape; its message quotes no value
            throw new InputException("cannot read --command-config " + file + ": " + e.getClass().getSimpleName()
                    + (e instanceof IOException && e.getMessage() != null ? " " + e.getMessage() : ""), e);
        }
        Map<String, String> all = new TreeMap<>();
        properties.stringPropertyNames().forEach(key -> all.put(key.strip(), properties.getProperty(key).strip()));
        return of(all);
    }

    /** Splits {@code properties} into Kafka and registry keys. */
    static CommandConfig of(Map<String, String> properties) {
        Map<String, String> kafka = new LinkedHashMap<>();
        Map<String, String> registry = new LinkedHashMap<>();
        properties.forEach((key, value) -> (isRegistryKey(key) ? registry : kafka).put(key, value));
        return new CommandConfig(Optional.ofNullable(kafka.remove(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)),
                Optional.ofNullable(registry.remove(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG)), kafka, registry);
    }

    static boolean isRegistryKey(String key) {
        return REGISTRY_KEYS.contains(key) || REGISTRY_PREFIXES.stream().anyMatch(key::startsWith);
    }
}
