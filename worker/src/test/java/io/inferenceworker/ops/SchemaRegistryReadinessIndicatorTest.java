package io.inferenceworker.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferenceworker.config.SchemaRegistrySettings;
import io.inferenceworker.testkit.EmbeddedSchemaRegistry;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthResult;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against real registry doubles: open, Basic, Bearer, TLS, mutual TLS, unavailable, unreachable. */
class SchemaRegistryReadinessIndicatorTest {
    /** A first TLS handshake (key generation, EC) can take over a second on a loaded 2-core machine. */
    private static final Duration TLS_TIMEOUT = Duration.ofSeconds(8);

    private static final String PASSWORD = "s3cret-registry-pw";
    private static final String STORE_PASSWORD = "changeit";

    private static EmbeddedSchemaRegistry open;
    private static EmbeddedSchemaRegistry basic;
    private static EmbeddedSchemaRegistry bearer;

    @BeforeAll
    static void startRegistries() {
        open = EmbeddedSchemaRegistry.start();
        basic = EmbeddedSchemaRegistry.builder().withBasicAuth("worker", PASSWORD).start();
        bearer = EmbeddedSchemaRegistry.builder().withBearerToken("t0ken-value").start();
    }

    @AfterAll
    static void stopRegistries() {
        open.close();
        basic.close();
        bearer.close();
    }

    @Test
    void upWhenTheRegistryAnswers() {
        HealthResult result = check(open.url(), Map.of());

        assertThat(result.getStatus()).isEqualTo(HealthStatus.UP);
        assertThat(details(result)).containsEntry("url", open.url()).containsEntry("httpStatus", 200);
    }

    @Test
    void usesBasicAuthFromUserInfoAndNeverShowsIt() {
        HealthResult ok = check(basic.url(), Map.of(
                "basic.auth.credentials.source", "USER_INFO", "basic.auth.user.info", "worker:" + PASSWORD));
        HealthResult wrong = check(basic.url(), Map.of(
                "basic.auth.credentials.source", "USER_INFO", "basic.auth.user.info", "worker:nope"));

        assertThat(ok.getStatus()).isEqualTo(HealthStatus.UP);
        assertThat(wrong.getStatus()).isEqualTo(HealthStatus.DOWN);
        assertThat(details(wrong)).containsEntry("httpStatus", 401);
        assertThat(String.valueOf(ok.getDetails()) + wrong.getDetails()).doesNotContain(PASSWORD).doesNotContain("nope");
    }

    @Test
    void usesBasicAuthFromTheUrlAndShowsTheUrlWithoutIt() {
        String url = basic.url().replace("http://", "http://worker:" + PASSWORD + "@");

        HealthResult result = check(url, Map.of());

        assertThat(result.getStatus()).isEqualTo(HealthStatus.UP);
        assertThat(details(result)).containsEntry("url", basic.url());
        assertThat(String.valueOf(result.getDetails())).doesNotContain(PASSWORD);
    }

    @Test
    void usesTheBearerToken() {
        assertThat(check(bearer.url(), Map.of("bearer.auth.credentials.source", "STATIC_TOKEN",
                "bearer.auth.token", "t0ken-value")).getStatus()).isEqualTo(HealthStatus.UP);
        assertThat(check(bearer.url(), Map.of()).getStatus()).isEqualTo(HealthStatus.DOWN);
    }

    /** The check reads the settings as the serde does: a token without its source would fail the serde, so DOWN. */
    @Test
    void refusesWhatTheSerdeRefuses() {
        HealthResult result = check(bearer.url(), Map.of("bearer.auth.token", "t0ken-value"));

        assertThat(result.getStatus()).isEqualTo(HealthStatus.DOWN);
        assertThat((String) details(result).get("error")).contains("bearer.auth.credentials.source")
                .doesNotContain("t0ken-value");
    }

    @Test
    void downWhileTheRegistryIsUnavailable() {
        try (EmbeddedSchemaRegistry flaky = EmbeddedSchemaRegistry.start()) {
            flaky.setAvailable(false);
            HealthResult result = check(flaky.url(), Map.of());

            assertThat(result.getStatus()).isEqualTo(HealthStatus.DOWN);
            assertThat(details(result)).containsEntry("httpStatus", 503);
        }
    }

    @Test
    void downQuicklyWhenNothingListens() throws IOException {
        long started = System.nanoTime();
        HealthResult result = check("http://127.0.0.1:" + deadPort(), Map.of());

        assertThat(result.getStatus()).isEqualTo(HealthStatus.DOWN);
        assertThat(details(result)).containsEntry("error", "ConnectException");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void downWhenTheRegistryDoesNotAnswerInTime() {
        try (EmbeddedSchemaRegistry slow = EmbeddedSchemaRegistry.start()) {
            slow.setResponseDelay(Duration.ofSeconds(5));
            long started = System.nanoTime();
            HealthResult result = check(slow.url(), Map.of());

            assertThat(result.getStatus()).isEqualTo(HealthStatus.DOWN);
            assertThat(details(result)).containsEntry("error", "HttpTimeoutException");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
        }
    }

    @Test
    void oneAnsweringUrlOfSeveralIsEnough() throws IOException {
        HealthResult result = check("http://127.0.0.1:" + deadPort() + "," + open.url(), Map.of());

        assertThat(result.getStatus()).isEqualTo(HealthStatus.UP);
        assertThat(details(result)).containsEntry("url", open.url());
    }

    @Test
    void reportsUnusableSettings() {
        HealthResult result = check(open.url(), Map.of("basic.auth.credentials.source", "SASL_INHERIT"));

        assertThat(result.getStatus()).isEqualTo(HealthStatus.DOWN);
        assertThat((String) details(result).get("error")).contains("basic.auth.credentials.source");
    }

    @Test
    void trustsTheConfiguredTrustStoreAndPresentsTheKeyStore(@TempDir Path dir) throws Exception {
        Path keyStore = dir.resolve("registry.p12");
        Path trustStore = dir.resolve("trust.p12");
        keytool("-genkeypair", "-alias", "registry", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", STORE_PASSWORD);
        Path cert = dir.resolve("registry.pem");
        keytool("-exportcert", "-rfc", "-alias", "registry", "-keystore", keyStore.toString(),
                "-storepass", STORE_PASSWORD, "-file", cert.toString());
        keytool("-importcert", "-noprompt", "-alias", "registry", "-file", cert.toString(), "-storetype", "PKCS12",
                "-keystore", trustStore.toString(), "-storepass", STORE_PASSWORD);
        SSLContext server = sslContext(keyStore, trustStore);
        Map<String, String> tls = new HashMap<>(Map.of(
                "schema.registry.ssl.truststore.location", trustStore.toString(),
                "schema.registry.ssl.truststore.password", STORE_PASSWORD,
                "schema.registry.ssl.truststore.type", "PKCS12"));

        try (EmbeddedSchemaRegistry https = EmbeddedSchemaRegistry.builder().withTls(server).start();
             EmbeddedSchemaRegistry mutual = EmbeddedSchemaRegistry.builder().withTls(server)
                     .withClientCertificateRequired().start()) {
            assertThat(check(https.url(), tls, TLS_TIMEOUT).getStatus()).isEqualTo(HealthStatus.UP);
            assertThat(check(https.url(), Map.of(), TLS_TIMEOUT).getStatus()).isEqualTo(HealthStatus.DOWN);
            assertThat(check(mutual.url(), tls, TLS_TIMEOUT).getStatus()).isEqualTo(HealthStatus.DOWN);

            tls.putAll(Map.of("schema.registry.ssl.keystore.location", keyStore.toString(),
                    "schema.registry.ssl.keystore.password", STORE_PASSWORD,
                    "schema.registry.ssl.keystore.type", "PKCS12"));
            assertThat(check(mutual.url(), tls, TLS_TIMEOUT).getStatus()).isEqualTo(HealthStatus.UP);
        }
    }

    private static HealthResult check(String url, Map<String, String> properties) {
        return check(url, properties, Duration.ofSeconds(1));
    }

    private static HealthResult check(String url, Map<String, String> properties, Duration healthTimeout) {
        SchemaRegistrySettings settings = new SchemaRegistrySettings();
        settings.setUrl(url);
        settings.setProperties(properties);
        OpsSettings ops = new OpsSettings();
        ops.setHealthTimeout(healthTimeout);
        SchemaRegistryReadinessIndicator indicator = new SchemaRegistryReadinessIndicator(settings, ops);
        try {
            return indicator.check().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the check must complete, not fail", e);
        } finally {
            indicator.close();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> details(HealthResult result) {
        return (Map<String, Object>) result.getDetails();
    }

    private static int deadPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("keytool %s: %s", args[0], output).isZero();
    }

    private static SSLContext sslContext(Path keyStore, Path trustStore) throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(keyStore), STORE_PASSWORD.toCharArray());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(trustStore));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }

    private static KeyStore load(Path path) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(path)) {
            store.load(in, STORE_PASSWORD.toCharArray());
        }
        return store;
    }
}
