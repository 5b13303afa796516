package io.inferenceworker.serde;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLHandshakeException;

import org.apache.kafka.common.errors.InterruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Sends registry requests over {@code java.net.http}, failing over between the configured URLs.
 *
 * <p>Starts at the URL that last answered; moves on to the next on a connection failure, timeout, TLS failure,
 * HTTP 5xx, 408 or 429. Gives up after one pass: {@link RegistryAccessException} if some URL refused our TLS
 * identity, otherwise {@link RegistryUnavailableException} (each URL's failure attached). A 401/403 ends the
 * request with {@link RegistryAccessException} at once. Every other answer is returned to the caller, which
 * interprets it per operation. No retries beyond the pass: the caller owns retry policy.
 *
 * <p>Thread-safe.
 */
final class RegistryTransport implements AutoCloseable {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT = "application/vnd.schemaregistry.v1+json, "
            + "application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";
    private static final int MAX_MESSAGE_LENGTH = 300;
    private static final Logger LOG = LoggerFactory.getLogger(RegistryTransport.class);

    /** A definitive answer: 2xx with a JSON body, or an error status that failing over cannot change. */
    record Reply(int status, JsonNode body, RegistryEndpoint endpoint) {

        /** The Confluent {@code error_code}, or -1. */
        int errorCode() {
            JsonNode code = body == null ? null : body.get("error_code");
            return code != null && code.canConvertToInt() ? code.asInt() : -1;
        }

        /** The registry's own message, shortened; or the bare status. */
        String message() {
            JsonNode message = body == null ? null : body.get("message");
            String text = message != null && message.isTextual() ? message.asText() : "HTTP " + status;
            return text.length() <= MAX_MESSAGE_LENGTH ? text : text.substring(0, MAX_MESSAGE_LENGTH) + "...";
        }
    }

    private final List<RegistryEndpoint> endpoints;
    private final HttpClient http;
    private final Duration readTimeout;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicInteger preferred = new AtomicInteger();

    /**
     * The HTTP client registry requests go over: HTTP/1.1, never following redirects (credentials stay with the
     * registry), with the configured TLS.
     *
     * @throws org.apache.kafka.common.config.ConfigException if the TLS stores cannot be loaded
     */
    static HttpClient httpClient(AvroSerdeConfig config, Duration connectTimeout) {
        HttpClient.Builder http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout);
        RegistryTls.contextFor(config).ifPresent(http::sslContext);
        return http.build();
    }

    RegistryTransport(List<RegistryEndpoint> endpoints, HttpClient http, Duration readTimeout) {
        this.endpoints = List.copyOf(endpoints);
        this.http = Objects.requireNonNull(http, "http");
        this.readTimeout = Objects.requireNonNull(readTimeout, "readTimeout");
        if (this.endpoints.isEmpty()) {
            throw new IllegalArgumentException("at least one registry endpoint is needed");
        }
    }

    /**
     * @param method      GET, POST, ...
     * @param encodedPath the path with percent-encoded segments, e.g. {@code /schemas/ids/7}
     * @param body        the JSON body, or {@code null}
     * @param operation   what is being done, for messages ("fetching schema id 7")
     * @param schemaId    the schema id concerned, for exceptions; or {@code null}
     */
    Reply send(String method, String encodedPath, JsonNode body, String operation, Integer schemaId) {
        int start = preferred.get();
        List<Exception> failures = new ArrayList<>();
        List<String> outcomes = new ArrayList<>();
        boolean tlsRefused = false;
        for (int attempt = 0; attempt < endpoints.size(); attempt++) {
            int index = (start + attempt) % endpoints.size();
            RegistryEndpoint endpoint = endpoints.get(index);
            try {
                HttpResponse<byte[]> response = http.send(request(endpoint, method, encodedPath, body),
                        HttpResponse.BodyHandlers.ofByteArray());
                int status = response.statusCode();
                if (status == 401 || status == 403) {
                    throw new RegistryAccessException("schema registry at " + endpoint + " refused the credentials ("
                            + status + ") while " + operation, status, schemaId, null);
                }
                if (status == 408 || status == 429 || status >= 500) {
                    Reply reply = new Reply(status, parseQuietly(response.body()), endpoint);
                    outcomes.add(endpoint + " answered " + status + ": " + reply.message());
                    LOG.warn("Schema registry {} answered {} while {}", endpoint, status, operation);
                    continue;
                }
                preferred.set(index);
                return reply(status, response.body(), endpoint, operation, schemaId);
            } catch (IOException failure) {
                boolean tls = isTlsRefusal(failure);
                tlsRefused |= tls;
                failures.add(failure);
                outcomes.add(endpoint + (tls ? " refused the TLS handshake: " : " failed: ")
                        + failure.getClass().getSimpleName());
                LOG.warn("Schema registry {} could not be reached while {}: {}", endpoint, operation,
                        failure.getClass().getSimpleName());
            } catch (InterruptedException interrupted) {
                throw new InterruptException("interrupted while " + operation, interrupted);
            }
        }
        String message = (tlsRefused ? "schema registry refused our TLS identity or certificate checks failed while "
                : "schema registry unavailable while ") + operation + ": " + String.join("; ", outcomes);
        Exception cause = failures.isEmpty() ? null : failures.getLast();
        RuntimeException error = tlsRefused
                ? new RegistryAccessException(message, 0, schemaId, cause)
                : new RegistryUnavailableException(message, schemaId, cause);
        failures.stream().filter(f -> f != cause).forEach(error::addSuppressed);
        throw error;
    }

    @Override
    public void close() {
        http.close();
    }

    @Override
    public String toString() {
        return "RegistryTransport" + endpoints;
    }

    private Reply reply(int status, byte[] body, RegistryEndpoint endpoint, String operation, Integer schemaId) {
        JsonNode parsed = parseQuietly(body);
        boolean success = status >= 200 && status < 300;
        if (success && parsed == null) {
            throw new RegistryRequestException("schema registry at " + endpoint + " answered " + status
                    + " without a JSON body while " + operation + " (is the URL a schema registry?)",
                    status, -1, schemaId);
        }
        return new Reply(status, parsed, endpoint);
    }

    private HttpRequest request(RegistryEndpoint endpoint, String method, String encodedPath, JsonNode body)
            throws IOException {
        HttpRequest.BodyPublisher publisher = body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body));
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve(encodedPath))
                .timeout(readTimeout)
                .header("Accept", ACCEPT)
                .method(method, publisher);
        if (body != null) {
            request.header("Content-Type", CONTENT_TYPE);
        }
        if (endpoint.authorization() != null) {
            request.header("Authorization", endpoint.authorization().value());
        }
        return request.build();
    }

    private JsonNode parseQuietly(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            JsonNode node = json.readTree(body);
            return node == null || node.isMissingNode() ? null : node;
        } catch (IOException notJson) {
            // Includes Jackson's parse errors: an answer that is not JSON has no registry fields.
            return null;
        }
    }

    /** A handshake the peer or our trust manager refused on certificates: configuration, not an outage. */
    private static boolean isTlsRefusal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SSLHandshakeException || t instanceof CertificateException) {
                return true;
            }
        }
        return false;
    }
}
