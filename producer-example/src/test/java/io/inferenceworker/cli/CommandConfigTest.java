package io.inferenceworker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inferenceworker.cli.CliWorld.Run;
import io.inferenceworker.testkit.DevStack;
import io.inferenceworker.testkit.EmbeddedSchemaRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --command-config}: a properties file's settings reach the Kafka clients and the registry client, options on
 * the command line win over it, and no secret of it is ever printed. Against the embedded Kafka and a registry that
 * requires HTTP Basic authentication; no worker (the request topic here is nobody's).
 */
class CommandConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER = "cli-user";
    private static final String SECRET = "s3cr3t-" + UUID.randomUUID();
    private static final DevStack STACK = DevStack.shared();
    private static final String TOPIC = "cfg-" + UUID.randomUUID().toString().substring(0, 8) + ".requests";
    private static EmbeddedSchemaRegistry registry;

    @TempDir
    Path dir;

    /** Every run's output, checked for secrets after each test. */
    private final List<Run> runs = new ArrayList<>();

    @BeforeAll
    static void start() {
        registry = EmbeddedSchemaRegistry.builder().withBasicAuth(USER, SECRET).start();
        STACK.kafka().createTopic(TOPIC, 1);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @AfterEach
    void nothingPrintedASecret() {
        assertThat(runs).isNotEmpty().allSatisfy(run ->
                assertThat(run.out() + run.err()).doesNotContain(SECRET, "jaas-secret-4711", "wrong-" + SECRET));
    }

    @Test
    void theFilesCredentialsAndEndpointsReachTheRegistryAndKafka() throws IOException {
        Path file = properties("client.properties", Map.of(
                "bootstrap.servers", STACK.kafka().bootstrapServers(),
                "schema.registry.url", registry.url(),
                "basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", USER + ":" + SECRET));
        // no -b, no -r: both come from the file, as in a managed cluster's client configuration
        Run sent = run("send", "-p", "sim", "--requests-topic", TOPIC, "--command-config", file.toString(),
                "Hello with credentials");
        assertThat(sent.exitCode()).as(sent.err()).isZero();
        String jobId = sent.out().strip();

        // tail by topic name: not one of the configured topics, so decoded by the record's schema (a request)
        Run tail = run("tail", TOPIC, "--from-beginning", "--job-id", jobId, "--max", "1", "--timeout", "20s",
                "--json", "--command-config", file.toString());
        assertThat(tail.exitCode()).as(tail.err()).isZero();
        JsonNode record = JSON.readTree(tail.out().strip());
        assertThat(record.get("value").get("job_id").asText()).isEqualTo(jobId);
        assertThat(record.get("value").get("provider").asText()).isEqualTo("sim");
        Run human = run("tail", TOPIC, "--from-beginning", "--job-id", jobId, "--max", "1", "--timeout", "20s",
                "--command-config", file.toString());
        assertThat(human.out()).startsWith("request  " + jobId + "  sim");
    }

    @Test
    void withoutTheFileOrWithAWrongPasswordTheRegistryRefusesAndExitsFour() throws IOException {
        Run none = run("send", "-p", "sim", "--requests-topic", TOPIC, "-b", STACK.kafka().bootstrapServers(),
                "-r", registry.url(), "No credentials");
        assertThat(none.exitCode()).as(none.out() + none.err()).isEqualTo(4);
        assertThat(none.err()).contains("schema registry");

        Path wrong = properties("wrong.properties", Map.of(
                "basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", USER + ":wrong-" + SECRET));
        Run refused = run("send", "-p", "sim", "--requests-topic", TOPIC, "-b", STACK.kafka().bootstrapServers(),
                "-r", registry.url(), "--command-config", wrong.toString(), "Wrong credentials");
        assertThat(refused.exitCode()).as(refused.out() + refused.err()).isEqualTo(4);
        assertThat(refused.err()).contains("schema registry");
    }

    @Test
    void optionsOnTheCommandLineWinOverTheFile() throws IOException {
        Path file = properties("stale.properties", Map.of(
                "bootstrap.servers", "127.0.0.1:1",
                "basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", USER + ":" + SECRET));
        Run sent = run("send", "-p", "sim", "--requests-topic", TOPIC, "-b", STACK.kafka().bootstrapServers(),
                "-r", registry.url(), "--connect-timeout", "5s", "--command-config", file.toString(), "Precedence");
        assertThat(sent.exitCode()).as(sent.err()).isZero();

        Run fileOnly = run("send", "-p", "sim", "--requests-topic", TOPIC, "-r", registry.url(),
                "--connect-timeout", "1s", "--command-config", file.toString(), "Unreachable");
        assertThat(fileOnly.exitCode()).isEqualTo(4);
        assertThat(fileOnly.err()).contains("Kafka at 127.0.0.1:1 did not answer");
    }

    @Test
    void aConfigurationTheClientsRefuseIsAUsageErrorWithoutItsSecrets() throws IOException {
        Path badProtocol = properties("bad-protocol.properties", Map.of(
                "security.protocol", "PLAINTEXT_PLEASE",
                "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                        + "username=\"cli\" password=\"jaas-secret-4711\";"));
        Run protocol = run("tail", "results", "-b", STACK.kafka().bootstrapServers(), "--max", "1",
                "--command-config", badProtocol.toString());
        assertThat(protocol.exitCode()).as(protocol.out() + protocol.err()).isEqualTo(2);
        assertThat(protocol.err()).startsWith("error: ").contains("security.protocol", "PLAINTEXT_PLEASE",
                "--command-config " + badProtocol);

        // a JAAS configuration that does not parse: the parser's message may quote it, the CLI hides the secret
        Path badJaas = properties("bad-jaas.properties", Map.of(
                "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", "PlainLoginModule required password=\"jaas-secret-4711\" oops"));
        Run jaas = run("tail", "results", "-b", STACK.kafka().bootstrapServers(), "--max", "1",
                "--command-config", badJaas.toString());
        assertThat(jaas.exitCode()).as(jaas.out() + jaas.err()).isEqualTo(2);
        assertThat(jaas.err()).startsWith("error: Kafka client configuration");

        Run missing = run("tail", "results", "--command-config", dir.resolve("absent.properties").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("cannot read --command-config");
    }

    @Test
    void secretsAreHiddenInWhateverTheCliPrints() {
        Secrets secrets = Secrets.in(Map.of(
                "sasl.jaas.config", "PlainLoginModule required username=\"alice\" password=\"pw-4711\";",
                "security.protocol", "SASL_SSL"), Map.of("basic.auth.user.info", "bob:token-0815"));
        assertThat(secrets.redact("login failed for PlainLoginModule required username=\"alice\" "
                + "password=\"pw-4711\"; and bob:token-0815, token-0815 alone, https://carol:pw-99@registry:8081/x"))
                .doesNotContain("pw-4711", "token-0815", "pw-99")
                .contains("login failed for [hidden] and [hidden]", "https://[hidden]@registry:8081/x");
        assertThat(secrets.redact("SASL_SSL is not a secret")).isEqualTo("SASL_SSL is not a secret");
        runs.add(new Run(0, "", "")); // nothing ran here
    }

    private Run run(String... args) {
        Run run = CliWorld.runRaw(args);
        runs.add(run);
        return run;
    }

    private Path properties(String name, Map<String, String> entries) throws IOException {
        StringBuilder text = new StringBuilder("# written by CommandConfigTest\n");
        entries.forEach((key, value) -> text.append(key).append('=').append(value.replace("\\", "\\\\"))
                .append('\n'));
        return Files.writeString(dir.resolve(name), text);
    }
}
