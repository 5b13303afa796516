package io.inferenceworker.trace;

import io.inferenceworker.job.JobTrace;
import io.inferenceworker.job.JobTracing;
import io.inferenceworker.job.RequestRecord;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The worker's {@link JobTracing}: a {@link JobSpans} per record, from the worker's {@link OpenTelemetry}.
 *
 * <p>Thread-safe. Closing it (with the application context, after the job pipeline) flushes and shuts down the SDK.
 */
@Singleton
final class OtelJobTracing implements JobTracing {
    static final String INSTRUMENTATION = "io.inferenceworker";

    private final OpenTelemetry telemetry;
    private final Tracer tracer;
    private final boolean includeContent;
    private final Clock clock;

    OtelJobTracing(OpenTelemetry telemetry, TracingSettings settings, Clock clock) {
        this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
        this.tracer = telemetry.getTracer(INSTRUMENTATION);
        this.includeContent = settings.isIncludeContent();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public JobSpans start(RequestRecord record) {
        return JobSpans.start(tracer, telemetry.getPropagators().getTextMapPropagator(), record, includeContent,
                clock);
    }

    /** Exports what is buffered, then stops the SDK (at most 10 s: a collector that is down must not hold shutdown). */
    @PreDestroy
    void close() {
        if (telemetry instanceof OpenTelemetrySdk sdk) {
            sdk.shutdown().join(10, TimeUnit.SECONDS);
        }
    }
}
