package io.inferenceworker.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * The worker itself, {@code worker.*}.
 *
 * <p>Defaults: intake mode {@code group} (a consumer group; {@code share} uses a Kafka share group), in-flight
 * limit {@value #DEFAULT_IN_FLIGHT_LIMIT} jobs per worker whatever the partition count and request bytes in flight
 * 1/{@value #DEFAULT_IN_FLIGHT_BYTES_HEAP_FRACTION} of the maximum heap (64 MiB with {@code -Xmx1g}), shutdown grace
 * {@link #DEFAULT_SHUTDOWN_GRACE}, prompts up to {@value #DEFAULT_MAX_PROMPT_BYTES} bytes, no prompt or completion
 * text in logs. The worker ID defaults to {@code <host>-<pid>}.
 */
@ConfigurationProperties("worker")
public class WorkerSettings {
    public static final int DEFAULT_IN_FLIGHT_LIMIT = 1024;
    /**
     * The default in-flight byte limit is this fraction of the maximum heap: an in-flight job holds about five times
     * its request on the heap, plus ~20 KB of its own, so 1/16 keeps jobs to about a third of the heap.
     */
    public static final int DEFAULT_IN_FLIGHT_BYTES_HEAP_FRACTION = 16;
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(500);
    public static final int DEFAULT_MAX_PROMPT_BYTES = 1024 * 1024;
    /**
     * Share consumers per worker in share mode. Each works batch by batch (the KIP-932 client hands out new records
     * only once every record of the last poll is acknowledged), so several keep the in-flight limit busy while each
     * waits for the slowest job of its batch.
     */
    public static final int DEFAULT_SHARE_LANES = 8;
    /**
     * The share of the in-flight limit that the waiting jobs of one provider instance may hold, see
     * {@link #getProviderWaitingShare()}.
     */
    public static final double DEFAULT_PROVIDER_WAITING_SHARE = 0.5;

    private String id = ManagementFactory.getRuntimeMXBean().getName().replace('@', '-');
    private boolean enabled = true;
    private String intakeMode = "group";
    private int inFlightLimit = DEFAULT_IN_FLIGHT_LIMIT;
    private long inFlightBytesLimit;
    private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;
    private Duration commitInterval = DEFAULT_COMMIT_INTERVAL;
    private int maxPromptBytes = DEFAULT_MAX_PROMPT_BYTES;
    private boolean logContent;
    private int shareLanes = DEFAULT_SHARE_LANES;

    // --- publishing (issue 13) ---
    /**
     * Default {@code worker.publish-timeout}: two minutes, the producer's own {@code delivery.timeout.ms} default.
     * The producer already retries a batch internally for that long, so a send that fails transiently has usually
     * been tried for minutes; this bounds how long a job holds its in-flight slot (and the commit behind it) when an
     * output cannot be written, a broker outage of a few seconds to a minute or a leader election costs no job, and
     * a missing topic or ACL turns into a dead letter within two minutes instead of a job wedged forever.
     */
    public static final Duration DEFAULT_PUBLISH_TIMEOUT = Duration.ofMinutes(2);

    private Duration publishTimeout = DEFAULT_PUBLISH_TIMEOUT;

    /**
     * How long a job's outputs (result, usage, chunks) may take to be acknowledged, transient failures re-sent
     * included, before the job is dead-lettered at stage {@code publish}; default {@link #DEFAULT_PUBLISH_TIMEOUT}.
     */
    public Duration getPublishTimeout() {
        return publishTimeout;
    }

    public void setPublishTimeout(Duration publishTimeout) {
        if (publishTimeout == null || publishTimeout.toMillis() < 100) {
            throw new IllegalArgumentException("worker.publish-timeout must be at least 100ms, was " + publishTimeout);
        }
        this.publishTimeout = publishTimeout;
    }
    private double providerWaitingShare = DEFAULT_PROVIDER_WAITING_SHARE;

    /** Names this worker in results, dead letters and logs. */
    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    /** Whether the intake starts with the application (tests and tools may start the context without it). */
    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** {@code group} or {@code share}. */
    public String getIntakeMode() {
        return intakeMode;
    }

    public void setIntakeMode(String intakeMode) {
        this.intakeMode = intakeMode;
    }

    public int getInFlightLimit() {
        return inFlightLimit;
    }

    public void setInFlightLimit(int inFlightLimit) {
        if (inFlightLimit < 1) {
            throw new IllegalArgumentException("worker.in-flight-limit must be >= 1");
        }
        this.inFlightLimit = inFlightLimit;
    }

    /**
     * Request bytes (record key + value) of the jobs in flight; {@code 0}, the default, means 1/{@value
     * #DEFAULT_IN_FLIGHT_BYTES_HEAP_FRACTION} of the maximum heap. One job always runs when none does, however large.
     */
    public long getInFlightBytesLimit() {
        return inFlightBytesLimit > 0 ? inFlightBytesLimit
                : Runtime.getRuntime().maxMemory() / DEFAULT_IN_FLIGHT_BYTES_HEAP_FRACTION;
    }

    public void setInFlightBytesLimit(long inFlightBytesLimit) {
        if (inFlightBytesLimit < 0) {
            throw new IllegalArgumentException("worker.in-flight-bytes-limit must be >= 0 (0: a share of the heap)");
        }
        this.inFlightBytesLimit = inFlightBytesLimit;
    }

    public Duration getShutdownGrace() {
        return shutdownGrace;
    }

    public void setShutdownGrace(Duration shutdownGrace) {
        this.shutdownGrace = shutdownGrace;
    }

    /** How often completed offsets are committed (they are also committed on revoke and shutdown). */
    public Duration getCommitInterval() {
        return commitInterval;
    }

    public void setCommitInterval(Duration commitInterval) {
        this.commitInterval = commitInterval;
    }

    public int getMaxPromptBytes() {
        return maxPromptBytes;
    }

    public void setMaxPromptBytes(int maxPromptBytes) {
        this.maxPromptBytes = maxPromptBytes;
    }

    /** Debug flag: log prompt and completion text. Off by default; never on in production. */
    public boolean isLogContent() {
        return logContent;
    }

    public void setLogContent(boolean logContent) {
        this.logContent = logContent;
    }

    /**
     * Share mode only: share consumers ("lanes") per worker, default {@value #DEFAULT_SHARE_LANES}, at most the
     * in-flight limit. Each acquires at most {@code ceil(in-flight-limit / share-lanes)} records at a time.
     */
    public int getShareLanes() {
        return shareLanes;
    }

    public void setShareLanes(int shareLanes) {
        if (shareLanes < 1) {
            throw new IllegalArgumentException("worker.share-lanes must be >= 1");
        }
        this.shareLanes = shareLanes;
    }

    /**
     * The share of {@code in-flight-limit} that the <em>waiting</em> jobs of one provider instance may hold (jobs
     * whose instance's circuit breaker is open or whose local rate limit sends them back to wait): at most
     * {@code ceil(share × in-flight-limit)} of them wait; a job that would have to wait beyond that fails at once
     * ({@code provider_backlog_full}, dead-lettered, replayable), so one instance that is down or limited never
     * starves the others. {@value #DEFAULT_PROVIDER_WAITING_SHARE} by default; {@code 0 < share <= 1} (1: no limit
     * beyond the in-flight limit itself).
     */
    public double getProviderWaitingShare() {
        return providerWaitingShare;
    }

    public void setProviderWaitingShare(double providerWaitingShare) {
        if (!(providerWaitingShare > 0 && providerWaitingShare <= 1)) {
            throw new IllegalArgumentException("worker.provider-waiting-share must be > 0 and <= 1, was "
                    + providerWaitingShare);
        }
        this.providerWaitingShare = providerWaitingShare;
    }
}
