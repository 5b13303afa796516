package io.inferenceworker.feedback;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the votes topology ({@link VotesTopology}) as one Kafka Streams application.
 *
 * <p>{@link #start()} returns at once; a virtual thread checks the topics ({@link CoPartitioning}), waiting with
 * backoff (1 s doubling to 30 s) for as long as Kafka does not answer, then starts the application. When the topics
 * do not fit, or the application cannot be created, it logs an error, keeps the reason ({@link #refusal()}) and
 * stays stopped: the worker still serves completions, and votes wait in their topic. A stream thread that dies of an
 * unexpected error is replaced and resumes from the last commit. {@link #close(Duration)} stops gracefully,
 * committing what was processed and leaving the group so its partitions move at once; it also closes the forwarder
 * and serdes handed in. The application's metrics are bound (see {@code KafkaClientBinder#bindStreams}) from its
 * creation until it is closed.
 *
 * <p>Thread-safe.
 */
public final class VotesService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VotesService.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(15);

    private final Map<String, Object> streamsProperties;
    private final Map<String, Object> adminProperties;
    private final Topology topology;
    private final VotesTopology.Topics topics;
    private final List<AutoCloseable> resources;
    private final Function<KafkaStreams, AutoCloseable> meters;
    private final RetryPolicy<Object> untilKafkaAnswers = RetryPolicy.builder()
            .handleIf(e -> e instanceof VotesSetupException s && s.isRetriable())
            .withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30))
            .withMaxRetries(-1)
            .onRetry(e -> LOG.warn("Votes component waiting for Kafka (attempt {}): {}", e.getAttemptCount(),
                    e.getLastException().getMessage()))
            .build();
    private volatile KafkaStreams streams;
    private volatile AutoCloseable streamsMeters;
    private volatile String refusal;
    private Thread starter;
    private boolean closed;

    /**
     * @param streamsProperties the Kafka Streams configuration
     * @param adminProperties   client properties for the start-up check
     * @param resources         closed after the streams (forwarder, serdes)
     * @param meters            binds the application's metrics when it is created; the handle is closed with it
     */
    VotesService(Map<String, Object> streamsProperties, Map<String, Object> adminProperties, Topology topology,
                 VotesTopology.Topics topics, List<AutoCloseable> resources,
                 Function<KafkaStreams, AutoCloseable> meters) {
        this.streamsProperties = Map.copyOf(streamsProperties);
        this.adminProperties = Map.copyOf(adminProperties);
        this.topology = Objects.requireNonNull(topology, "topology");
        this.topics = Objects.requireNonNull(topics, "topics");
        this.resources = List.copyOf(resources);
        this.meters = Objects.requireNonNull(meters, "meters");
    }

    /** Checks the topics and starts the application in the background; later calls do nothing. */
    public synchronized void start() {
        if (closed || starter != null) {
            return;
        }
        starter = Thread.ofVirtual().name("votes-start").start(this::checkThenRun);
    }

    private void checkThenRun() {
        try {
            Failsafe.with(untilKafkaAnswers).run(this::checkTopics);
            run();
        } catch (FailsafeException e) {
            LOG.info("Votes component start abandoned: the worker is stopping");
        } catch (VotesSetupException e) {
            refuse(e.getMessage(), null);
        } catch (KafkaException e) {
            refuse(e.getMessage(), e);
        }
    }

    private void refuse(String reason, Throwable error) {
        if (isClosed()) {
            LOG.info("Votes component start abandoned: the worker is stopping");
            return;
        }
        refusal = reason;
        if (error == null) {
            LOG.error("Votes component NOT started: {}", reason);
        } else {
            LOG.error("Votes component NOT started: {}", reason, error);
        }
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    private void checkTopics() {
        Admin admin = Admin.create(adminProperties);
        try {
            CoPartitioning.check(admin, topics, ADMIN_TIMEOUT);
        } finally {
            admin.close(Duration.ofSeconds(5));
        }
    }

    private synchronized void run() {
        if (closed) {
            return;
        }
        Properties props = new Properties();
        props.putAll(streamsProperties);
        KafkaStreams app = new KafkaStreams(topology, props);
        app.setUncaughtExceptionHandler(e -> {
            LOG.error("A votes stream thread failed; replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        app.setStateListener((now, before) -> LOG.info("Votes component: {} -> {}", before, now));
        streamsMeters = meters.apply(app);
        app.start();
        streams = app;
        LOG.info("Votes component started: {} joined with {} into {}", topics.voteRequests(), topics.results(),
                topics.votes());
    }

    /** Why the application was not started, if the start-up check or its creation failed. */
    public Optional<String> refusal() {
        return Optional.ofNullable(refusal);
    }

    /** The application's state; {@code NOT_RUNNING} until it was started. */
    public KafkaStreams.State state() {
        KafkaStreams app = streams;
        return app == null ? KafkaStreams.State.NOT_RUNNING : app.state();
    }

    /**
     * Whether this worker's results table holds the result of {@code jobId} now: false while the application does not
     * run, or its stores are moving. For tests and diagnosis.
     */
    boolean holdsResultOf(String jobId) {
        KafkaStreams app = streams;
        if (app == null) {
            return false;
        }
        try {
            return app.store(StoreQueryParameters.fromNameAndType(VotesTopology.JOBS_STORE,
                    QueryableStoreTypes.<String, byte[]>timestampedKeyValueStore())).get(jobId) != null;
        } catch (InvalidStateStoreException e) {
            return false;
        }
    }

    /** Stops the application within {@code timeout}, then releases the resources. Later calls do nothing. */
    public void close(Duration timeout) {
        Thread pendingStart;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            pendingStart = starter;
        }
        if (pendingStart != null) {
            pendingStart.interrupt();
            try {
                pendingStart.join(timeout.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        KafkaStreams app = streams;
        // Leave the group: the next worker usually has a new ID (host-pid), and staying would hold this worker's
        // partitions, with their votes, until the session timeout expires.
        if (app != null && !app.close(CloseOptions.timeout(timeout)
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP))) {
            LOG.warn("Votes component did not stop within {}", timeout);
        }
        List<AutoCloseable> closing = new ArrayList<>();
        if (streamsMeters != null) {
            closing.add(streamsMeters);
        }
        closing.addAll(resources);
        for (AutoCloseable resource : closing) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("Closing {} failed", resource, e);
            }
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }
}
