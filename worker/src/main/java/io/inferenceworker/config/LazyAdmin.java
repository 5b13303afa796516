package io.inferenceworker.config;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka admin client with the worker's connection settings ({@code kafka.properties.*}: SASL, TLS), created on
 * first use, so a component that never needs one opens no connection, and closed once: after {@link #close()} it is
 * gone for good, so a check or lookup racing the shutdown cannot create a new client behind it.
 *
 * <p>Thread-safe.
 */
public final class LazyAdmin implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LazyAdmin.class);

    private final KafkaSettings kafka;
    private final String clientId;
    private final Duration closeTimeout;
    private Admin admin;
    private boolean closed;

    /**
     * @param clientId     names the client in the broker's logs and quotas
     * @param closeTimeout how long {@link #close()} waits for requests in flight; {@link Duration#ZERO} drops them
     */
    public LazyAdmin(KafkaSettings kafka, String clientId, Duration closeTimeout) {
        this.kafka = Objects.requireNonNull(kafka, "kafka");
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.closeTimeout = Objects.requireNonNull(closeTimeout, "closeTimeout");
    }

    /** The client, created now if need be; empty once closed. */
    public synchronized Optional<Admin> get() {
        if (closed) {
            return Optional.empty();
        }
        if (admin == null) {
            admin = Admin.create(kafka.clientProperties(Map.of(AdminClientConfig.CLIENT_ID_CONFIG, clientId)));
        }
        return Optional.of(admin);
    }

    /** Closes the client, waiting at most the close timeout. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        if (admin != null) {
            try {
                admin.close(closeTimeout);
            } catch (RuntimeException e) {
                LOG.warn("Closing the admin client {} failed: {}", clientId, e.toString());
            }
            admin = null;
        }
    }
}
