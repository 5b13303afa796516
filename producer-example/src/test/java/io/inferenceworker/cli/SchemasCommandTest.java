package io.inferenceworker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferenceworker.cli.CliWorld.Run;
import io.inferenceworker.schemas.CompletionRequest;
import io.inferenceworker.schemas.CompletionResult;
import io.inferenceworker.schemas.Message;
import io.inferenceworker.schemas.Role;
import io.inferenceworker.schemas.SelfContainedSchemas;
import io.inferenceworker.serde.AvroSerdeConfig;
import io.inferenceworker.serde.RegisteredSchema;
import io.inferenceworker.serde.RestSchemaRegistryClient;
import io.inferenceworker.serde.SpecificAvroSerializer;
import io.inferenceworker.testkit.EmbeddedSchemaRegistry;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * {@code schemas register} and {@code schemas print} against the embedded registry, as a user of a registry with
 * {@code auto.register.schemas=false} would run them: with basic-auth credentials and the topic names configured.
 */
class SchemasCommandTest {
    private static final String USER = "schema-admin";
    private static final String PASSWORD = "not-a-real-secret";

    @Test
    void registersEveryTopicsValueSchemaUnderTopicNameSubjectsIdempotently() {
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder().withBasicAuth(USER, PASSWORD).start();
             RestSchemaRegistryClient reader = client(registry)) {
            Run first = run(registry, "schemas", "register", "--requests-topic", "acme.requests");

            assertThat(first.exitCode()).as(first.err()).isZero();
            assertThat(first.out()).contains("registered CompletionRequest under acme.requests-value (schema id ")
                    .contains("registered VoteRecord under inference.votes-value").contains("6 subjects registered")
                    .doesNotContain(PASSWORD);
            for (TopicKind kind : SchemaTopics.all()) {
                String subject = (kind == TopicKind.REQUESTS ? "acme.requests" : "inference." + suffix(kind))
                        + "-value";
                RegisteredSchema latest = reader.latest(subject);
                assertThat(latest.schema()).as(subject).isEqualTo(SchemaTopics.schemaOf(kind));
                assertThat(latest.version()).as(subject).isEqualTo(1);
            }

            Run again = run(registry, "schemas", "register", "--requests-topic", "acme.requests");
            assertThat(again.exitCode()).isZero();
            assertThat(again.out()).isEqualTo(first.out());
            assertThat(reader.latest("acme.requests-value").version()).isEqualTo(1);

            // What a Java producer (or the worker) with auto.register.schemas=false does: look the ID up.
            try (SpecificAvroSerializer<CompletionRequest> lookupOnly = new SpecificAvroSerializer<>()) {
                lookupOnly.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, registry.url(),
                        AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false,
                        AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO",
                        AvroSerdeConfig.USER_INFO_CONFIG, USER + ":" + PASSWORD), false);
                byte[] bytes = lookupOnly.serialize("acme.requests", CompletionRequest.newBuilder().setJobId("j-1")
                        .setProvider("p").setMessages(List.of(Message.newBuilder().setRole(Role.USER)
                                .setContent("hi").build())).build());
                assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt())
                        .isEqualTo(reader.latest("acme.requests-value").id());
            }
        }
    }

    @Test
    void registersOnlyTheSelectedTopicsByLabelOrName() {
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder().withBasicAuth(USER, PASSWORD).start();
             RestSchemaRegistryClient reader = client(registry)) {
            Run run = run(registry, "schemas", "register", "--topics", "results,acme.votes.requests",
                    "--vote-requests-topic", "acme.votes.requests");

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).contains("under inference.results-value").contains("under acme.votes.requests-value")
                    .contains("2 subjects registered");
            assertThat(reader.latest("inference.results-value").schema()).isEqualTo(CompletionResult.getClassSchema());
            assertThat(registry.callCount(EmbeddedSchemaRegistry.Route.REGISTER)).isEqualTo(2);
        }
    }

    @Test
    void refusedCredentialsExitFourAndUnknownTopicsTwo() {
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder().withBasicAuth(USER, PASSWORD).start()) {
            Run refused = CliWorld.runRaw("schemas", "register", "--schema-registry-url", registry.url(),
                    "--registry-property", "basic.auth.credentials.source=USER_INFO",
                    "--registry-property", "basic.auth.user.info=" + USER + ":wrong-password");
            assertThat(refused.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
            assertThat(refused.err()).contains("schema registry").doesNotContain("wrong-password");

            Run unknown = run(registry, "schemas", "register", "--topics", "dlq");
            assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(unknown.err()).contains("unknown topic 'dlq'");
        }
    }

    @Test
    void printWritesTheShippedSelfContainedSchema() {
        Run byName = CliWorld.runRaw("schemas", "print", "completionrequest");
        assertThat(byName.exitCode()).isZero();
        assertThat(new Schema.Parser().parse(byName.out())).isEqualTo(CompletionRequest.getClassSchema());
        assertThat(byName.out()).isEqualTo(SelfContainedSchemas.pretty(CompletionRequest.getClassSchema()));

        assertThat(CliWorld.runRaw("schemas", "print", "results").out())
                .isEqualTo(SelfContainedSchemas.pretty(CompletionResult.getClassSchema()));
        Run unknown = CliWorld.runRaw("schemas", "print", "Nope");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).contains("unknown record 'Nope'").contains("CompletionRequest");
        assertThat(CliWorld.runRaw("schemas").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(CliWorld.runRaw("schemas", "register", "--help").out()).contains("under <topic>-value");
    }

    private static Run run(EmbeddedSchemaRegistry registry, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--schema-registry-url", registry.url(),
                "--registry-property", "basic.auth.credentials.source=USER_INFO",
                "--registry-property", "basic.auth.user.info=" + USER + ":" + PASSWORD));
        return CliWorld.runRaw(all.toArray(String[]::new));
    }

    private static RestSchemaRegistryClient client(EmbeddedSchemaRegistry registry) {
        return new RestSchemaRegistryClient(AvroSerdeConfig.from(Map.of(
                AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, registry.url(),
                AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO",
                AvroSerdeConfig.USER_INFO_CONFIG, USER + ":" + PASSWORD)));
    }

    /** The default topic name's part after {@code inference.}, from the worker's application.yml. */
    private static String suffix(TopicKind kind) {
        return switch (kind) {
            case VOTE_REQUESTS -> "votes.requests";
            default -> kind.label();
        };
    }
}
