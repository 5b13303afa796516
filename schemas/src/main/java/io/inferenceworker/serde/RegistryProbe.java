package io.inferenceworker.serde;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Asks the configured Schema Registry URLs whether they answer, with exactly the credentials and TLS the serde itself
 * uses ({@code GET {url}/subjects}): for health checks, so that a check cannot pass with settings the serde would fail
 * with, or fail with settings it accepts.
 *
 * <p>The HTTP client never follows redirects (credentials stay with the registry). {@link #url(int)} is the URL
 * without user info; nothing here puts a credential into a message. Thread-safe; {@link #close()} releases the client.
 */
public final class RegistryProbe implements AutoCloseable {
    private static final String ACCEPT = "application/vnd.schemaregistry.v1+json, application/json";

    private final List<RegistryEndpoint> endpoints;
    private final HttpClient http;
    private final Duration timeout;

    private RegistryProbe(List<RegistryEndpoint> endpoints, HttpClient http, Duration timeout) {
        this.endpoints = endpoints;
        this.http = http;
        this.timeout = timeout;
    }

    /**
     * @param serdeProperties the serde's properties ({@code schema.registry.url}, credentials, TLS), as the
     *                        serializers get them
     * @param timeout         connect and answer timeout of each probe
     * @throws org.apache.kafka.common.config.ConfigException naming the key (never a secret value) when the settings
     *                                                        are unusable, exactly as the serde would
     */
    public static RegistryProbe of(Map<String, ?> serdeProperties, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        AvroSerdeConfig config = AvroSerdeConfig.from(serdeProperties);
        List<RegistryEndpoint> endpoints = RegistryEndpoint.of(config);
        return new RegistryProbe(endpoints, RegistryTransport.httpClient(config, timeout), timeout);
    }

    /** How many URLs are configured. */
    public int size() {
        return endpoints.size();
    }

    /** URL {@code index} (0-based, in configured order) without user info, query or fragment: safe to show. */
    public String url(int index) {
        return endpoints.get(index).toString();
    }

    /**
     * The HTTP status URL {@code index} answers {@code GET /subjects} with. Completes exceptionally with the
     * client's own exception (e.g. {@code ConnectException}, {@code HttpTimeoutException}) when there is no answer.
     */
    public CompletableFuture<Integer> subjectsStatus(int index) {
        RegistryEndpoint endpoint = endpoints.get(index);
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve("/subjects"))
                .timeout(timeout)
                .header("Accept", ACCEPT)
                .GET();
        if (endpoint.authorization() != null) {
            request.header("Authorization", endpoint.authorization().value());
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding())
                .thenApply(HttpResponse::statusCode);
    }

    @Override
    public void close() {
        http.close();
    }

    @Override
    public String toString() {
        return "RegistryProbe" + endpoints;
    }
}
