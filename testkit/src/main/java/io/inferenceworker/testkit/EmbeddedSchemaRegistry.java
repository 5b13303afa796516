package io.inferenceworker.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

/**
 * An in-JVM <em>test double</em> of the Confluent Schema Registry. Production uses a real registry
 * (Confluent, Karapace, Redpanda, Apicurio's Confluent API); this one exists so that tests run without
 * containers and can script failures.
 *
 * <p>It serves, on {@code 127.0.0.1} and a free port, the part of the REST API that serializers and
 * registry clients use, answering with content type {@code application/vnd.schemaregistry.v1+json}:
 * <ul>
 *   <li>{@code POST /subjects/{s}/versions} register ({@code {"id": n}}); idempotent, ids global from 1;
 *       a schema that breaks the compatibility level is refused with 409;</li>
 *   <li>{@code POST /subjects/{s}} look a schema up ({@code {subject, version, id, schema}});</li>
 *   <li>{@code GET /schemas/ids/{id}} ({@code {"schema": "..."}}), {@code GET /schemas/ids/{id}/versions};</li>
 *   <li>{@code GET /subjects}, {@code GET /subjects/{s}/versions},
 *       {@code GET /subjects/{s}/versions/{v|latest}} and {@code .../schema}, {@code DELETE /subjects/{s}};</li>
 *   <li>{@code POST /compatibility/subjects/{s}/versions/{v|latest}} ({@code {"is_compatible": bool}});</li>
 *   <li>{@code GET|PUT /config} and {@code /config/{s}} (NONE, BACKWARD, FORWARD, FULL and their
 *       {@code _TRANSITIVE} forms; default BACKWARD), decided with Avro's {@code SchemaCompatibility}.</li>
 * </ul>
 * Errors use Confluent's body {@code {"error_code": ..., "message": ...}} and codes: 40401 unknown subject,
 * 40402 unknown version, 40403 unknown schema, 40408 no subject-level config, 409 incompatible,
 * 42201 invalid schema, 42202 invalid version, 42203 invalid compatibility level, 401 unauthenticated,
 * 503/50003 programmed outage. Only AVRO schemas without references are accepted.
 *
 * <p>For tests of clients: optional Basic or Bearer authentication, optional TLS (with or without client
 * certificates), a switchable outage ({@link #setAvailable}), a response delay ({@link #setResponseDelay})
 * and request counters per {@link Route} so that a test can assert "no registry call per record".
 *
 * <p>Thread-safe. Defaults: no authentication, plain HTTP, available, no delay, first schema id 1.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {

    /** The request kinds the double counts. A request that matches none is counted as {@link #OTHER}. */
    public enum Route {
        /** {@code POST /subjects/{s}/versions}. */
        REGISTER,
        /** {@code POST /subjects/{s}}. */
        LOOKUP,
        /** {@code GET /schemas/ids/{id}}. */
        SCHEMA_BY_ID,
        /** {@code GET /schemas/ids/{id}/versions}. */
        SCHEMA_ID_VERSIONS,
        /** {@code GET /subjects}. */
        SUBJECTS,
        /** {@code GET /subjects/{s}/versions}. */
        VERSIONS,
        /** {@code GET /subjects/{s}/versions/{v|latest}}. */
        VERSION,
        /** {@code GET /subjects/{s}/versions/{v|latest}/schema}. */
        VERSION_SCHEMA,
        /** {@code POST /compatibility/subjects/{s}/versions/{v|latest}}. */
        COMPATIBILITY,
        /** {@code GET /config} and {@code GET /config/{s}}. */
        GET_CONFIG,
        /** {@code PUT /config} and {@code PUT /config/{s}}. */
        PUT_CONFIG,
        /** {@code DELETE /subjects/{s}}. */
        DELETE_SUBJECT,
        /** Anything else (answered 404). */
        OTHER
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final SchemaRegistryState state;
    private final SchemaRegistryHandler handler;
    private final String scheme;

    private EmbeddedSchemaRegistry(Builder builder) {
        this.state = new SchemaRegistryState(builder.firstSchemaId);
        this.handler = new SchemaRegistryHandler(state, builder.expectedAuthorization);
        this.scheme = builder.tls == null ? "http" : "https";
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        try {
            InetAddress ipv4Loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
            InetSocketAddress loopback = new InetSocketAddress(ipv4Loopback, 0);
            this.server = builder.tls == null ? HttpServer.create(loopback, 1024) : httpsServer(loopback, builder);
        } catch (IOException e) {
            executor.close();
            throw new UncheckedIOException("could not bind the schema registry double to a loopback port", e);
        }
        server.setExecutor(executor);
        server.createContext("/", handler);
        server.start();
    }

    /** Starts an open (no authentication), plain-HTTP registry on a free loopback port. */
    public static EmbeddedSchemaRegistry start() {
        return builder().start();
    }

    /** A builder for a registry with authentication, TLS or another first id. */
    public static Builder builder() {
        return new Builder();
    }

    /** The base URL, e.g. {@code http://127.0.0.1:41234}, for {@code schema.registry.url}. */
    public String url() {
        return scheme + "://127.0.0.1:" + port();
    }

    /** The port it listens on (loopback only). */
    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * Switches the programmed outage: while unavailable, every request is answered
     * {@code 503 {"error_code": 50003}} (after being counted).
     */
    public void setAvailable(boolean available) {
        handler.setAvailable(available);
    }

    /** Delays every answer by {@code delay} (default zero), to exercise client timeouts. */
    public void setResponseDelay(Duration delay) {
        handler.setResponseDelay(delay);
    }

    /** How many HTTP requests arrived so far, whatever their outcome. */
    public long callCount() {
        return handler.totalCount();
    }

    /** How many HTTP requests of one kind arrived so far, whatever their outcome. */
    public long callCount(Route route) {
        return handler.count(Objects.requireNonNull(route, "route"));
    }

    /**
     * Registers a schema directly, as {@code POST /subjects/{subject}/versions} would (same rules), without
     * going through HTTP or the counters. For test setup.
     *
     * @return the schema's global id
     * @throws IllegalArgumentException if the schema is invalid or incompatible under the subject's level
     */
    public int register(String subject, String schema) {
        try {
            return state.register(Objects.requireNonNull(subject, "subject"), schema);
        } catch (SchemaRegistryError refused) {
            throw new IllegalArgumentException(refused.getMessage(), refused);
        }
    }

    /** Stops listening and interrupts answers still being delayed. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        executor.close();
    }

    @Override
    public String toString() {
        return "EmbeddedSchemaRegistry[" + url() + "]";
    }

    private static HttpsServer httpsServer(InetSocketAddress address, Builder builder) throws IOException {
        HttpsServer https = HttpsServer.create(address, 1024);
        boolean needClientAuth = builder.clientCertificateRequired;
        https.setHttpsConfigurator(new HttpsConfigurator(builder.tls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = getSSLContext().getDefaultSSLParameters();
                parameters.setNeedClientAuth(needClientAuth);
                params.setSSLParameters(parameters);
            }
        });
        return https;
    }

    /** Configures a registry before {@link #start()}. Not thread-safe; use from one thread. */
    public static final class Builder {

        private String expectedAuthorization;
        private SSLContext tls;
        private boolean clientCertificateRequired;
        private int firstSchemaId = 1;

        private Builder() {
        }

        /** Requires HTTP Basic authentication with these credentials; anything else is answered 401. */
        public Builder withBasicAuth(String user, String password) {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
            String token = Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
            return withAuthorization("Basic " + token);
        }

        /** Requires {@code Authorization: Bearer <token>}; anything else is answered 401. */
        public Builder withBearerToken(String token) {
            return withAuthorization("Bearer " + Objects.requireNonNull(token, "token"));
        }

        /** Serves HTTPS with this server context (its key manager holds the registry's certificate). */
        public Builder withTls(SSLContext serverContext) {
            this.tls = Objects.requireNonNull(serverContext, "serverContext");
            return this;
        }

        /** With TLS: refuses clients that present no certificate trusted by the server context. */
        public Builder withClientCertificateRequired() {
            this.clientCertificateRequired = true;
            return this;
        }

        /** The id the first registered schema gets (default 1); ids then count up. */
        public Builder withFirstSchemaId(int firstId) {
            if (firstId < 1) {
                throw new IllegalArgumentException("schema ids start at 1 or above, got " + firstId);
            }
            this.firstSchemaId = firstId;
            return this;
        }

        /** Starts the registry on a free loopback port. */
        public EmbeddedSchemaRegistry start() {
            if (clientCertificateRequired && tls == null) {
                throw new IllegalStateException("client certificates can only be required with TLS (withTls)");
            }
            return new EmbeddedSchemaRegistry(this);
        }

        private Builder withAuthorization(String header) {
            if (expectedAuthorization != null) {
                throw new IllegalStateException("the registry double takes one authentication mode");
            }
            this.expectedAuthorization = header;
            return this;
        }
    }
}
