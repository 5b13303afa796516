package io.inferenceworker.feedback;

import io.inferenceworker.config.KafkaSettings;
import io.inferenceworker.config.WorkerSettings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.convert.format.MapFormat;
import io.micronaut.core.naming.conventions.StringConvention;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The votes component, {@code votes.*}.
 *
 * <p>Defaults: enabled; a vote waits up to {@link #DEFAULT_WAIT_WINDOW} for its job's result; what a vote needs of
 * a job is kept for {@link #DEFAULT_JOB_RETENTION} (7 days) after the job's result; Kafka Streams
 * application ID {@code <kafka.group-id>-votes}; state directory
 * {@code ${java.io.tmpdir}/inference-worker-votes/<worker.id>}; processing guarantee {@code exactly_once_v2}
 * (see {@link VotesTopology} for why), committed every second; the main consumer's fetches batched ({@code main.consumer.fetch.min.bytes}
 * 65536, {@code main.consumer.fetch.max.wait.ms} 100). {@code votes.streams} passes any Kafka Streams property through and wins over
 * everything else (e.g. {@code num.stream.threads}, {@code processing.guarantee: at_least_once}). Client properties
 * common to every Kafka client ({@code kafka.properties}: SASL, TLS) apply as well.
 */
@ConfigurationProperties("votes")
public class VotesSettings {
    public static final Duration DEFAULT_WAIT_WINDOW = Duration.ofMinutes(5);
    /** How long the facts of a job are kept for votes after its result, by default: 7 days. */
    public static final Duration DEFAULT_JOB_RETENTION = Duration.ofDays(7);
    public static final String APPLICATION_ID_SUFFIX = "-votes";

    private boolean enabled = true;
    private Duration waitWindow = DEFAULT_WAIT_WINDOW;
    private Duration jobRetention = DEFAULT_JOB_RETENTION;
    private String applicationId;
    private String stateDir;
    private Map<String, String> streams = new LinkedHashMap<>();

    /** Whether the votes component starts with the application (it also needs {@code worker.enabled}); default true. */
    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** How long a vote whose job has no result yet waits for it before it is dead-lettered as an unknown job. */
    public Duration getWaitWindow() {
        return waitWindow;
    }

    public void setWaitWindow(Duration waitWindow) {
        Objects.requireNonNull(waitWindow, "votes.wait-window");
        if (waitWindow.isNegative() || waitWindow.isZero()) {
            throw new IllegalArgumentException("votes.wait-window must be positive, was " + waitWindow);
        }
        this.waitWindow = waitWindow;
    }

    /**
     * How long after its result (the result record's timestamp) a job can still be voted on; default
     * {@link #DEFAULT_JOB_RETENTION}. Past it the job's result is deleted from the votes component's local results
     * table, and a vote on the job is dead-lettered as an unknown job after the wait window.
     */
    public Duration getJobRetention() {
        return jobRetention;
    }

    public void setJobRetention(Duration jobRetention) {
        Objects.requireNonNull(jobRetention, "votes.job-retention");
        if (jobRetention.isNegative() || jobRetention.isZero()) {
            throw new IllegalArgumentException("votes.job-retention must be positive, was " + jobRetention);
        }
        this.jobRetention = jobRetention;
    }

    /** The configured Kafka Streams application ID, or null for the default. */
    public String getApplicationId() {
        return applicationId;
    }

    public void setApplicationId(String applicationId) {
        this.applicationId = applicationId;
    }

    /** The configured state directory, or null for the default. */
    public String getStateDir() {
        return stateDir;
    }

    public void setStateDir(String stateDir) {
        this.stateDir = stateDir;
    }

    /** Kafka Streams properties passed through as they are. */
    public Map<String, String> getStreams() {
        return streams;
    }

    public void setStreams(@MapFormat(transformation = MapFormat.MapTransformation.FLAT,
            keyFormat = StringConvention.RAW) Map<String, String> streams) {
        this.streams = streams == null ? new LinkedHashMap<>() : new LinkedHashMap<>(streams);
    }

    /** The application ID in effect: the configured one, else {@code <kafka.group-id>-votes}. */
    public String applicationId(KafkaSettings kafka) {
        return isBlank(applicationId) ? kafka.getGroupId() + APPLICATION_ID_SUFFIX : applicationId.trim();
    }

    /** The state directory in effect: the configured one, else one per worker ID under the temp directory. */
    public Path stateDir(WorkerSettings worker) {
        if (!isBlank(stateDir)) {
            return Path.of(stateDir.trim());
        }
        // The worker ID becomes a directory name: keep it to characters every file system accepts.
        String dir = worker.getId().replaceAll("[^A-Za-z0-9._-]", "_");
        return Path.of(System.getProperty("java.io.tmpdir"), "inference-worker-votes", dir);
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
