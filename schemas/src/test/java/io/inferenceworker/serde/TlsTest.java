package io.inferenceworker.serde;

import static io.inferenceworker.serde.SerdeTestSupport.configForUrl;
import static io.inferenceworker.serde.SerdeTestSupport.greetingV1;
import static io.inferenceworker.serde.SerdeTestSupport.uniqueTopic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.inferenceworker.testkit.EmbeddedSchemaRegistry;

/**
 * HTTPS to the registry: trust store, host name verification, client certificates. The certificates are made
 * by the JDK's keytool in a temporary folder: the registry's for {@code localhost} only (so that
 * {@code 127.0.0.1} is a host name mismatch), and a client's for mutual TLS.
 */
class TlsTest {

    private static final String TRUST_PASSWORD = "trust-SECRET";
    private static final String CLIENT_PASSWORD = "client-SECRET";

    @TempDir
    static Path dir;

    private static EmbeddedSchemaRegistry https;
    private static EmbeddedSchemaRegistry mutual;

    @BeforeAll
    static void issueCertificatesAndStart() throws Exception {
        keytool("-genkeypair", "-alias", "registry", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost", "-validity", "2",
                "-keystore", "server.p12", "-storetype", "PKCS12", "-storepass", "server-pass");
        keytool("-exportcert", "-alias", "registry", "-keystore", "server.p12", "-storepass", "server-pass",
                "-file", "server.crt");
        keytool("-importcert", "-noprompt", "-alias", "registry", "-file", "server.crt",
                "-keystore", "truststore.p12", "-storetype", "PKCS12", "-storepass", TRUST_PASSWORD);
        keytool("-genkeypair", "-alias", "client", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=worker", "-validity", "2",
                "-keystore", "client.p12", "-storetype", "PKCS12", "-storepass", CLIENT_PASSWORD);
        keytool("-exportcert", "-alias", "client", "-keystore", "client.p12", "-storepass", CLIENT_PASSWORD,
                "-file", "client.crt");
        keytool("-importcert", "-noprompt", "-alias", "client", "-file", "client.crt",
                "-keystore", "server-trust.p12", "-storetype", "PKCS12", "-storepass", "server-trust-pass");

        https = EmbeddedSchemaRegistry.builder().withTls(serverContext()).start();
        mutual = EmbeddedSchemaRegistry.builder().withTls(serverContext()).withClientCertificateRequired().start();
    }

    @AfterAll
    static void stop() {
        if (https != null) {
            https.close();
        }
        if (mutual != null) {
            mutual.close();
        }
    }

    @Test
    void trustedCertificateWithMatchingHostName() {
        assertRoundTrip(trusting("https://localhost:" + https.port()));
    }

    @Test
    void untrustedCertificateIsAnAccessError() {
        Map<String, Object> config = configForUrl("https://localhost:" + https.port());
        RegistryAccessException failure = failureOf(config);
        assertThat(failure.httpStatus()).isZero();
        assertThat(failure).hasMessageContaining("TLS");
    }

    @Test
    void hostNameMismatchIsRefusedUnlessVerificationIsDisabled() {
        String byIp = "https://127.0.0.1:" + https.port();
        assertThat(failureOf(trusting(byIp))).isInstanceOf(RegistryAccessException.class);
        Map<String, Object> lenient = trusting(byIp);
        lenient.put(AvroSerdeConfig.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM, "");
        assertRoundTrip(lenient);
    }

    @Test
    void mutualTlsNeedsTheClientKeyStore() {
        String url = "https://localhost:" + mutual.port();
        try (KafkaAvroSerializer withoutKey = new KafkaAvroSerializer()) {
            withoutKey.configure(trusting(url), false);
            // TLS 1.3 refuses the missing certificate after the client's handshake: usually seen as the
            // certificate_required alert (access error), sometimes only as a reset connection (unavailable).
            assertThatThrownBy(() -> withoutKey.serialize(uniqueTopic("tls"), greetingV1("x", 1)))
                    .isInstanceOfAny(RegistryAccessException.class, RegistryUnavailableException.class);
        }
        Map<String, Object> withKey = trusting(url);
        withKey.put(AvroSerdeConfig.SSL_KEYSTORE_LOCATION, dir.resolve("client.p12").toString());
        withKey.put(AvroSerdeConfig.SSL_KEYSTORE_PASSWORD, CLIENT_PASSWORD);
        withKey.put(AvroSerdeConfig.SSL_KEYSTORE_TYPE, "PKCS12");
        assertRoundTrip(withKey);
    }

    @Test
    void unreadableStoresAreConfigErrorsWithoutPasswords() {
        Map<String, Object> wrongPassword = trusting("https://localhost:" + https.port());
        wrongPassword.put(AvroSerdeConfig.SSL_TRUSTSTORE_PASSWORD, "wrong-SECRET");
        assertThatThrownBy(() -> new RestSchemaRegistryClient(AvroSerdeConfig.from(wrongPassword)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION)
                .hasMessageNotContaining("SECRET");
        Map<String, Object> missing = trusting("https://localhost:" + https.port());
        missing.put(AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION, dir.resolve("nowhere.p12").toString());
        assertThatThrownBy(() -> new RestSchemaRegistryClient(AvroSerdeConfig.from(missing)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("nowhere.p12");
    }

    private static Map<String, Object> trusting(String url) {
        Map<String, Object> config = new HashMap<>(configForUrl(url));
        config.put(AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION, dir.resolve("truststore.p12").toString());
        config.put(AvroSerdeConfig.SSL_TRUSTSTORE_PASSWORD, TRUST_PASSWORD);
        config.put(AvroSerdeConfig.SSL_TRUSTSTORE_TYPE, "PKCS12");
        return config;
    }

    private static void assertRoundTrip(Map<String, Object> config) {
        String topic = uniqueTopic("tls");
        try (KafkaAvroSerializer serializer = new KafkaAvroSerializer();
             KafkaAvroDeserializer deserializer = new KafkaAvroDeserializer()) {
            serializer.configure(config, false);
            deserializer.configure(config, false);
            assertThat(deserializer.deserialize(topic, serializer.serialize(topic, greetingV1("tls", 443))))
                    .isEqualTo(greetingV1("tls", 443));
        }
    }

    private static RegistryAccessException failureOf(Map<String, Object> config) {
        try (KafkaAvroSerializer serializer = new KafkaAvroSerializer()) {
            serializer.configure(config, false);
            RegistryAccessException failure = catchThrowableOfType(RegistryAccessException.class,
                    () -> serializer.serialize(uniqueTopic("tls"), greetingV1("x", 1)));
            assertThat(failure).hasMessageNotContaining("SECRET");
            return failure;
        }
    }

    private static SSLContext serverContext() throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load("server.p12", "server-pass"), "server-pass".toCharArray());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load("server-trust.p12", "server-trust-pass"));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }

    private static KeyStore load(String file, String password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve(file))) {
            store.load(in, password.toCharArray());
        }
        return store;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
        assertThat(process.exitValue()).as("keytool %s: %s", args[0], output).isZero();
    }
}
