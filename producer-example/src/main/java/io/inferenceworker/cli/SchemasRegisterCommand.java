package io.inferenceworker.cli;

import io.inferenceworker.serde.AvroSerdeConfig;
import io.inferenceworker.serde.RestSchemaRegistryClient;
import io.inferenceworker.serde.SchemaRegistryClient;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code schemas register}: registers each topic's value schema under {@code <topic>-value} (TopicNameStrategy, the
 * only strategy the worker's serde supports), for registries where clients may not register schemas themselves
 * ({@code auto.register.schemas=false}). Idempotent: an already registered schema keeps its ID and version.
 */
@Command(name = "register", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        description = {"Registers the value schemas of the worker's topics under <topic>-value.",
                "For registries where producers and the worker run with auto.register.schemas=false: run it once "
                        + "per release, with credentials allowed to write the subjects. Registering a schema "
                        + "that is already registered is a no-op that prints its existing ID.",
                "Needs only the schema registry (--schema-registry-url, --registry-property); the topic names come "
                        + "from the --*-topic options or TOPICS_* variables."},
        footer = {"%nExamples:", "  producer-example schemas register",
                "  producer-example schemas register --topics requests,vote-requests",
                "  TOPICS_REQUESTS=acme.requests producer-example schemas register --topics requests"})
final class SchemasRegisterCommand extends CliCommand {

    @Option(names = "--topics", paramLabel = "TOPIC", split = ",",
            description = "Only these topics: labels (requests, results, usage, chunks, vote-requests, votes) or the "
                    + "configured topic names. Default: all six (the dead-letter topic reuses the requests' and "
                    + "votes' schema IDs and has no subject of its own).")
    List<String> topics = new ArrayList<>();

    @Override
    int run() {
        Set<TopicKind> selected = new LinkedHashSet<>();
        for (String topic : topics) {
            selected.add(SchemaTopics.byTopic(topic, kafka).orElseThrow(() -> new InputException("unknown topic '"
                    + topic + "': expected one of " + SchemaTopics.all().stream().map(TopicKind::label).toList()
                    + " or their configured names")));
        }
        if (selected.isEmpty()) {
            selected.addAll(SchemaTopics.all());
        }
        try (SchemaRegistryClient registry = new RestSchemaRegistryClient(
                AvroSerdeConfig.from(clients().serdeConfig()))) {
            for (TopicKind kind : selected) {
                String subject = kafka.topicOf(kind) + "-value";
                int id = registry.register(subject, SchemaTopics.schemaOf(kind));
                out().println("registered " + SchemaTopics.recordName(kind) + " under " + subject + " (schema id "
                        + id + ")");
            }
        }
        out().println(selected.size() + " subjects registered");
        out().flush();
        return ExitCodes.OK;
    }
}
