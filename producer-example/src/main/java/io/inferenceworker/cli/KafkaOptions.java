package io.inferenceworker.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Connection and topic options every command mixes in. Defaults and environment variables are the worker's own
 * ({@code application.yml}): {@code KAFKA_BOOTSTRAP_SERVERS}, {@code SCHEMA_REGISTRY_URL} and, for the topic names,
 * {@code TOPICS_REQUESTS}, {@code TOPICS_RESULTS}, ... (what Micronaut maps to {@code topics.requests}, ...), so a shell
 * configured for the worker is configured for the CLI. Managed Kafka and registries take their security settings and
 * credentials from a {@code --command-config} properties file ({@link CommandConfig}), so secrets stay off the command
 * line, or as pass-through properties ({@code --kafka-property security.protocol=SASL_SSL}); their values are never
 * printed ({@link #secrets()}).
 *
 * <p>Precedence, highest first: the command line ({@code -b}, {@code -r}, {@code --kafka-property},
 * {@code --registry-property}), the {@code --command-config} file (named on this command line, so it is more specific
 * than the shell), the environment, the defaults.
 *
 * <p>Populated by picocli, then completed once by {@link #applyCommandConfig} before the command runs; read-only
 * afterwards.
 */
@Command(exitCodeListHeading = ExitCodes.HEADING, exitCodeList = {ExitCodes.OK_LINE, ExitCodes.FAILED_LINE,
        ExitCodes.USAGE_LINE, ExitCodes.TIMEOUT_LINE, ExitCodes.UNREACHABLE_LINE})
public final class KafkaOptions {

    @Option(order = 100, names = "--command-config", paramLabel = "FILE",
            description = {"Properties file with the security settings and credentials (Kafka-style, as for Kafka's "
                    + "own tools): Kafka keys (security.protocol, sasl.*, ssl.*, ...) go to the Kafka clients; "
                    + "basic.auth.*, bearer.auth.* and schema.registry.* keys to the schema registry client. May set "
                    + "bootstrap.servers and schema.registry.url. Options on the command line win over it."})
    Path commandConfig;

    @Option(order = 101, names = {"-b", "--bootstrap-servers"}, paramLabel = "HOST:PORT",
            defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-localhost:9092}",
            description = "Kafka bootstrap servers (else bootstrap.servers of --command-config, else env "
                    + "KAFKA_BOOTSTRAP_SERVERS). Default: ${DEFAULT-VALUE}")
    String bootstrapServers;

    @Option(order = 102, names = {"-r", "--schema-registry-url"}, paramLabel = "URL",
            defaultValue = "${env:SCHEMA_REGISTRY_URL:-http://localhost:8081}",
            description = "Schema registry URL(s), comma-separated (else schema.registry.url of --command-config, "
                    + "else env SCHEMA_REGISTRY_URL). Default: ${DEFAULT-VALUE}")
    String schemaRegistryUrl;

    @Option(order = 103, names = "--kafka-property", paramLabel = "KEY=VALUE",
            description = "Any Kafka client property, for every client (e.g. security.protocol=SASL_SSL); wins over "
                    + "--command-config. Keep secrets in the --command-config file. Repeatable.")
    Map<String, String> kafkaProperties = new LinkedHashMap<>();

    @Option(order = 104, names = "--registry-property", paramLabel = "KEY=VALUE",
            description = "Any serde/registry property under Confluent's keys (e.g. auto.register.schemas=false); "
                    + "wins over --command-config. Keep secrets in the --command-config file. Repeatable.")
    Map<String, String> registryProperties = new LinkedHashMap<>();

    @Option(order = 105, names = "--connect-timeout", paramLabel = "DURATION", defaultValue = "10s",
            converter = DurationConverter.class,
            description = "How long to try reaching Kafka before giving up with exit code 4. Default: ${DEFAULT-VALUE}")
    Duration connectTimeout;

    @Option(order = 106, names = "--requests-topic", paramLabel = "TOPIC",
            defaultValue = "${env:TOPICS_REQUESTS:-inference.requests}",
            description = "Request topic (env TOPICS_REQUESTS). Default: ${DEFAULT-VALUE}")
    String requestsTopic;

    @Option(order = 107, names = "--results-topic", paramLabel = "TOPIC",
            defaultValue = "${env:TOPICS_RESULTS:-inference.results}",
            description = "Result topic (env TOPICS_RESULTS). Default: ${DEFAULT-VALUE}")
    String resultsTopic;

    @Option(order = 108, names = "--usage-topic", paramLabel = "TOPIC",
            defaultValue = "${env:TOPICS_USAGE:-inference.usage}",
            description = "Usage topic (env TOPICS_USAGE). Default: ${DEFAULT-VALUE}")
    String usageTopic;

    @Option(order = 109, names = "--chunks-topic", paramLabel = "TOPIC",
            defaultValue = "${env:TOPICS_CHUNKS:-inference.chunks}",
            description = "Streamed chunk topic (env TOPICS_CHUNKS). Default: ${DEFAULT-VALUE}")
    String chunksTopic;

    @Option(order = 110, names = "--vote-requests-topic", paramLabel = "TOPIC",
            defaultValue = "${env:TOPICS_VOTE_REQUESTS:-inference.votes.requests}",
            description = "Vote request topic (env TOPICS_VOTE_REQUESTS). Default: ${DEFAULT-VALUE}")
    String voteRequestsTopic;

    @Option(order = 111, names = "--votes-topic", paramLabel = "TOPIC",
            defaultValue = "${env:TOPICS_VOTES:-inference.votes}",
            description = "Vote topic (env TOPICS_VOTES). Default: ${DEFAULT-VALUE}")
    String votesTopic;

    @Option(order = 112, names = "--dlq-topic", paramLabel = "TOPIC",
            defaultValue = "${env:TOPICS_DEAD_LETTERS:-inference.requests.dlq}",
            description = "Dead-letter topic (env TOPICS_DEAD_LETTERS). Default: ${DEFAULT-VALUE}")
    String deadLettersTopic;

    private boolean commandConfigApplied;

    /**
     * Merges the {@code --command-config} file (if any) into these options, under what the command line gave.
     * Idempotent.
     *
     * @param onCommandLine whether an option (by its long name) was given on the command line
     * @throws InputException if the file cannot be read
     */
    void applyCommandConfig(Predicate<String> onCommandLine) {
        if (commandConfig == null || commandConfigApplied) {
            return;
        }
        commandConfigApplied = true;
        CommandConfig file = CommandConfig.load(commandConfig);
        file.kafka().forEach(kafkaProperties::putIfAbsent);
        file.registry().forEach(registryProperties::putIfAbsent);
        if (!onCommandLine.test("--bootstrap-servers")) {
            file.bootstrapServers().ifPresent(servers -> bootstrapServers = servers);
        }
        if (!onCommandLine.test("--schema-registry-url")) {
            file.schemaRegistryUrl().ifPresent(url -> schemaRegistryUrl = url);
        }
    }

    /** The secret values of the Kafka and registry properties, to hide from every message. */
    Secrets secrets() {
        return Secrets.in(kafkaProperties, registryProperties);
    }

    /**
     * The topic {@code tail} and friends mean by {@code nameOrLabel}: a kind's label ({@code results}) names the
     * configured topic of that kind; a configured topic's name ({@code inference.results}) is that kind; any other
     * name is a topic of no known kind (decoded by each record's schema).
     */
    TopicRef topicRef(String nameOrLabel) {
        Optional<TopicKind> byLabel = TopicKind.ofLabel(nameOrLabel);
        if (byLabel.isPresent()) {
            return new TopicRef(topicOf(byLabel.get()), byLabel);
        }
        for (TopicKind kind : TopicKind.values()) {
            if (topicOf(kind).equals(nameOrLabel)) {
                return new TopicRef(nameOrLabel, Optional.of(kind));
            }
        }
        return new TopicRef(nameOrLabel, Optional.empty());
    }

    String topicOf(TopicKind kind) {
        return switch (kind) {
            case REQUESTS -> requestsTopic;
            case RESULTS -> resultsTopic;
            case USAGE -> usageTopic;
            case CHUNKS -> chunksTopic;
            case VOTE_REQUESTS -> voteRequestsTopic;
            case VOTES -> votesTopic;
            case DLQ -> deadLettersTopic;
        };
    }
}
