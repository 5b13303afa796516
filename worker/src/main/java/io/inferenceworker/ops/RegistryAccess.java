package io.inferenceworker.ops;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * How to reach the Schema Registry the way the serde does, from Confluent's own client keys in
 * {@code schema-registry.properties}:
 * <ul>
 *   <li>Bearer ({@code bearer.auth.credentials.source=STATIC_TOKEN}): {@code bearer.auth.token}, with
 *       {@code bearer.auth.logical.cluster} and {@code bearer.auth.identity.pool.id} sent as Confluent Cloud's
 *       {@code target-sr-cluster} and {@code Confluent-Identity-Pool-Id} headers when set;</li>
 *   <li>otherwise Basic: {@code basic.auth.user.info} (or {@code schema.registry.basic.auth.user.info}) when
 *       {@code basic.auth.credentials.source=USER_INFO}, or the URL's user info when the source is {@code URL}
 *       (Confluent's default);</li>
 *   <li>TLS: {@code schema.registry.ssl.truststore.*} and {@code schema.registry.ssl.keystore.*} (file stores, JKS or
 *       PKCS12); without them the JVM's default trust store.</li>
 * </ul>
 * {@code SASL_INHERIT} and PEM stores are not understood here: a check with them reports DOWN rather than guessing.
 * Host names are always verified (an empty {@code schema.registry.ssl.endpoint.identification.algorithm} is not
 * honoured). The serde ({@code io.inferenceworker.serde}) reads the same keys with its own, package-private, code;
 * should it expose a public probe, this class can go.
 *
 * <p>Immutable. {@link #toString()} never shows credentials; neither do the exceptions thrown here.
 */
final class RegistryAccess {
    private static final String SSL = "schema.registry.ssl.";

    private final List<URI> urls;
    private final Map<String, String> properties;

    private RegistryAccess(List<URI> urls, Map<String, String> properties) {
        this.urls = urls;
        this.properties = properties;
    }

    /**
     * @param urls       {@code schema-registry.url}: one URL or several, comma-separated
     * @param properties {@code schema-registry.properties}
     * @throws UnusableConfigurationException when a URL cannot be parsed (the message names its position only)
     */
    static RegistryAccess of(String urls, Map<String, String> properties) {
        List<URI> parsed = new ArrayList<>();
        String[] parts = urls == null ? new String[0] : urls.split(",");
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].strip();
            if (part.isEmpty()) {
                continue;
            }
            try {
                URI uri = new URI(part);
                if (uri.getScheme() == null || uri.getHost() == null) {
                    throw new URISyntaxException("(hidden)", "no scheme or host");
                }
                parsed.add(uri);
            } catch (URISyntaxException e) {
                throw new UnusableConfigurationException("schema-registry.url #" + (i + 1) + " is not a URL");
            }
        }
        if (parsed.isEmpty()) {
            throw new UnusableConfigurationException("schema-registry.url is empty");
        }
        return new RegistryAccess(List.copyOf(parsed), Map.copyOf(properties));
    }

    List<URI> urls() {
        return urls;
    }

    /** {@code url} without user info, query or fragment: safe to show. */
    static String display(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
                + (url.getRawPath() == null ? "" : url.getRawPath());
    }

    /** {@code GET {url}/subjects} with this registry's authentication. */
    HttpRequest subjectsRequest(URI url, Duration timeout) {
        String base = display(url);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(
                        (base.endsWith("/") ? base : base + "/") + "subjects"))
                .timeout(timeout)
                .header("Accept", "application/vnd.schemaregistry.v1+json, application/json")
                .GET();
        String bearerSource = properties.get("bearer.auth.credentials.source");
        if (bearerSource != null && !bearerSource.isBlank()
                && !"STATIC_TOKEN".equalsIgnoreCase(bearerSource.strip())) {
            throw new UnusableConfigurationException("bearer.auth.credentials.source must be STATIC_TOKEN");
        }
        String token = properties.get("bearer.auth.token");
        if (token != null && !token.isBlank()) {
            request.header("Authorization", "Bearer " + token.strip());
            optional("bearer.auth.logical.cluster", v -> request.header("target-sr-cluster", v));
            optional("bearer.auth.identity.pool.id", v -> request.header("Confluent-Identity-Pool-Id", v));
            return request.build();
        }
        String userInfo = switch (properties.getOrDefault("basic.auth.credentials.source", "URL").strip()
                .toUpperCase(Locale.ROOT)) {
            case "USER_INFO" -> properties.getOrDefault("basic.auth.user.info",
                    properties.get("schema.registry.basic.auth.user.info"));
            case "URL" -> url.getUserInfo();
            default -> throw new UnusableConfigurationException(
                    "basic.auth.credentials.source must be URL or USER_INFO for the health check");
        };
        if (userInfo != null && !userInfo.isEmpty()) {
            request.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
        }
        return request.build();
    }

    /** An HTTP client that never follows redirects (credentials stay with the registry) and speaks the TLS set up. */
    HttpClient newClient(Duration connectTimeout) {
        HttpClient.Builder client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (properties.containsKey(SSL + "truststore.location") || properties.containsKey(SSL + "keystore.location")) {
            client.sslContext(sslContext());
        }
        return client.build();
    }

    private SSLContext sslContext() {
        try {
            TrustManagerFactory trust = null;
            KeyStore trustStore = store("truststore");
            if (trustStore != null) {
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(trustStore);
            }
            KeyManagerFactory keys = null;
            KeyStore keyStore = store("keystore");
            if (keyStore != null) {
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                String keyPassword = properties.getOrDefault(SSL + "key.password",
                        properties.get(SSL + "keystore.password"));
                keys.init(keyStore, keyPassword == null ? null : keyPassword.toCharArray());
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(),
                    null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            // The cause's message may quote a path but never a password; keep only its type to be sure.
            throw new UnusableConfigurationException("the Schema Registry TLS stores could not be loaded ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private KeyStore store(String kind) throws GeneralSecurityException, IOException {
        String location = properties.get(SSL + kind + ".location");
        if (location == null || location.isBlank()) {
            return null;
        }
        String type = properties.getOrDefault(SSL + kind + ".type", "JKS");
        if ("PEM".equalsIgnoreCase(type)) {
            throw new UnusableConfigurationException("PEM " + kind + "s are not supported by the health check");
        }
        String password = properties.get(SSL + kind + ".password");
        KeyStore store = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            store.load(in, password == null ? null : password.toCharArray());
        }
        return store;
    }

    private void optional(String key, java.util.function.Consumer<String> use) {
        String value = properties.get(key);
        if (value != null && !value.isBlank()) {
            use.accept(value.strip());
        }
    }

    @Override
    public String toString() {
        return "RegistryAccess" + urls.stream().map(RegistryAccess::display).toList();
    }

    /** A setting the check cannot use. Its message is written here and carries no secret, so it may be shown. */
    static final class UnusableConfigurationException extends IllegalStateException {
        UnusableConfigurationException(String message) {
            super(message);
        }
    }
}
