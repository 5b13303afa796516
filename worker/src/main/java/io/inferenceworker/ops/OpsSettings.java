package io.inferenceworker.ops;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;
import java.util.Objects;

/**
 * Metrics and health settings, {@code ops.*}.
 *
 * <p>Defaults: health checks time out after {@link #DEFAULT_HEALTH_TIMEOUT}; a freshly created intake counts as alive
 * for {@link #DEFAULT_INTAKE_START_GRACE} before its poll thread must be running; at most
 * {@value #DEFAULT_MODEL_TAG_LIMIT} distinct {@code model}, {@value #DEFAULT_PROVIDER_TAG_LIMIT} distinct
 * {@code provider} and {@value #DEFAULT_TENANT_TAG_LIMIT} distinct {@code tenant} tag values, later ones are counted
 * as {@code other}; the Kafka clients' metric set is re-read
 * every {@link #DEFAULT_KAFKA_METRICS_REFRESH} (Micrometer's own interval).
 *
 * <p>Why cap tags: model names, tenants (and, for invalid requests, provider names) come from the requests. Every
 * distinct tag value is a new time series in Prometheus, multiplied by the latency histogram's buckets, so an
 * unbounded set would let producers grow the worker's memory and the monitoring system's storage without limit.
 */
@ConfigurationProperties("ops")
public class OpsSettings {
    public static final Duration DEFAULT_HEALTH_TIMEOUT = Duration.ofSeconds(3);
    public static final Duration DEFAULT_INTAKE_START_GRACE = Duration.ofSeconds(60);
    public static final int DEFAULT_MODEL_TAG_LIMIT = 100;
    public static final int DEFAULT_PROVIDER_TAG_LIMIT = 32;
    public static final int DEFAULT_TENANT_TAG_LIMIT = 100;
    public static final Duration DEFAULT_KAFKA_METRICS_REFRESH = Duration.ofSeconds(60);

    private Duration healthTimeout = DEFAULT_HEALTH_TIMEOUT;
    private Duration intakeStartGrace = DEFAULT_INTAKE_START_GRACE;
    private int modelTagLimit = DEFAULT_MODEL_TAG_LIMIT;
    private int providerTagLimit = DEFAULT_PROVIDER_TAG_LIMIT;
    private int tenantTagLimit = DEFAULT_TENANT_TAG_LIMIT;
    private Duration kafkaMetricsRefresh = DEFAULT_KAFKA_METRICS_REFRESH;

    /** How long a readiness check (Kafka, Schema Registry) may take before it reports DOWN. */
    public Duration getHealthTimeout() {
        return healthTimeout;
    }

    public void setHealthTimeout(Duration healthTimeout) {
        Objects.requireNonNull(healthTimeout, "ops.health-timeout");
        if (healthTimeout.isNegative() || healthTimeout.isZero()) {
            throw new IllegalArgumentException("ops.health-timeout must be positive, was " + healthTimeout);
        }
        this.healthTimeout = healthTimeout;
    }

    /** How long after its creation the intake may take to start polling before liveness reports DOWN. */
    public Duration getIntakeStartGrace() {
        return intakeStartGrace;
    }

    public void setIntakeStartGrace(Duration intakeStartGrace) {
        Objects.requireNonNull(intakeStartGrace, "ops.intake-start-grace");
        if (intakeStartGrace.isNegative()) {
            throw new IllegalArgumentException("ops.intake-start-grace must not be negative, was " + intakeStartGrace);
        }
        this.intakeStartGrace = intakeStartGrace;
    }

    /** Distinct {@code model} tag values kept before the rest become {@code other}. */
    public int getModelTagLimit() {
        return modelTagLimit;
    }

    public void setModelTagLimit(int modelTagLimit) {
        this.modelTagLimit = positive(modelTagLimit, "ops.model-tag-limit");
    }

    /** Distinct {@code provider} tag values kept before the rest become {@code other}. */
    public int getProviderTagLimit() {
        return providerTagLimit;
    }

    public void setProviderTagLimit(int providerTagLimit) {
        this.providerTagLimit = positive(providerTagLimit, "ops.provider-tag-limit");
    }

    /**
     * Distinct {@code tenant} tag values kept before the rest become {@code other}; a request without a tenant is
     * counted as {@code none}.
     */
    public int getTenantTagLimit() {
        return tenantTagLimit;
    }

    public void setTenantTagLimit(int tenantTagLimit) {
        this.tenantTagLimit = positive(tenantTagLimit, "ops.tenant-tag-limit");
    }

    /**
     * How often the Kafka clients' metric set is re-read to bind metrics that appeared since, such as the lag of a
     * partition assigned in a rebalance.
     */
    public Duration getKafkaMetricsRefresh() {
        return kafkaMetricsRefresh;
    }

    public void setKafkaMetricsRefresh(Duration kafkaMetricsRefresh) {
        Objects.requireNonNull(kafkaMetricsRefresh, "ops.kafka-metrics-refresh");
        if (kafkaMetricsRefresh.toMillis() < 1) {
            throw new IllegalArgumentException("ops.kafka-metrics-refresh must be at least 1ms, was "
                    + kafkaMetricsRefresh);
        }
        this.kafkaMetricsRefresh = kafkaMetricsRefresh;
    }

    // --- output topics readiness and oldest job liveness (issue 13) ---
    /** Default {@code ops.output-topics-refresh}: how long an UP output-topics check is reused. */
    public static final Duration DEFAULT_OUTPUT_TOPICS_REFRESH = Duration.ofSeconds(60);
    /**
     * Default {@code ops.max-job-age}: 15 minutes. With the default retry policy a job may spend its whole retry
     * window (5 min) on provider attempts and local waits, its last attempt may run up to the attempt timeout (2 min)
     * past that, and publishing may take the publish timeout (2 min): about 9 minutes for the slowest healthy job. A
     * job older than 15 minutes is stuck (a dead letter that cannot be written, a hung call), and a restart is the
     * remedy, which is what liveness DOWN asks for. Raise it with the retry window or the publish timeout.
     */
    public static final Duration DEFAULT_MAX_JOB_AGE = Duration.ofMinutes(15);

    private Duration outputTopicsRefresh = DEFAULT_OUTPUT_TOPICS_REFRESH;
    private Duration maxJobAge = DEFAULT_MAX_JOB_AGE;

    /** How long a successful output-topics readiness check is reused before it is made again. */
    public Duration getOutputTopicsRefresh() {
        return outputTopicsRefresh;
    }

    public void setOutputTopicsRefresh(Duration outputTopicsRefresh) {
        Objects.requireNonNull(outputTopicsRefresh, "ops.output-topics-refresh");
        if (outputTopicsRefresh.isNegative()) {
            throw new IllegalArgumentException("ops.output-topics-refresh must not be negative, was "
                    + outputTopicsRefresh);
        }
        this.outputTopicsRefresh = outputTopicsRefresh;
    }

    /** Liveness reports DOWN when the oldest job in flight has been running longer than this. */
    public Duration getMaxJobAge() {
        return maxJobAge;
    }

    public void setMaxJobAge(Duration maxJobAge) {
        Objects.requireNonNull(maxJobAge, "ops.max-job-age");
        if (maxJobAge.isNegative() || maxJobAge.isZero()) {
            throw new IllegalArgumentException("ops.max-job-age must be positive, was " + maxJobAge);
        }
        this.maxJobAge = maxJobAge;
    }

    private static int positive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, was " + value);
        }
        return value;
    }
}
