package io.inferenceworker.trace;

import io.inferenceworker.config.WorkerSettings;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import jakarta.inject.Singleton;
import java.util.Map;

/**
 * The worker's {@link OpenTelemetry}: the SDK as OpenTelemetry's autoconfiguration builds it from the standard
 * {@code OTEL_*} environment variables (or {@code otel.*} system properties), with the worker's defaults underneath:
 * <ul>
 *   <li>{@code otel.service.name} {@value #SERVICE_NAME}; resource attribute {@code inference.worker.id} the worker
 *       ID;</li>
 *   <li>traces exported only when asked: {@code OTEL_TRACES_EXPORTER} as given, else {@code otlp} when an OTLP
 *       endpoint is set ({@code OTEL_EXPORTER_OTLP_ENDPOINT} or {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}), else
 *       {@code none} — a worker without a collector must not spend its time on refused connections;</li>
 *   <li>no OpenTelemetry metrics or logs exporter by default: metrics are Micrometer's ({@code /prometheus}), logs are
 *       Logback's.</li>
 * </ul>
 * Spans are made whether or not they are exported, so that logs and outputs carry the worker's trace IDs either
 * way. With {@code tracing.enabled=false}, the no-op API that only propagates W3C trace context.
 */
@Factory
class TelemetryFactory {
    static final String SERVICE_NAME = "inference-worker";
    private static final AttributeKey<String> WORKER_ID = AttributeKey.stringKey("inference.worker.id");

    /** Yields to an {@link OpenTelemetry} registered by the embedding code (tests register the in-memory SDK). */
    @Singleton
    @Requires(missingBeans = OpenTelemetry.class)
    OpenTelemetry openTelemetry(TracingSettings settings, WorkerSettings worker) {
        if (!settings.isEnabled()) {
            return OpenTelemetry.propagating(ContextPropagators.create(W3CTraceContextPropagator.getInstance()));
        }
        return AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> Map.of(
                        "otel.service.name", SERVICE_NAME,
                        "otel.metrics.exporter", "none",
                        "otel.logs.exporter", "none"))
                .addPropertiesCustomizer(TelemetryFactory::tracesExporter)
                // Not service.instance.id: the SDK sets that one (a UUID) and warns when it is changed.
                .addResourceCustomizer((resource, config) ->
                        resource.merge(Resource.create(Attributes.of(WORKER_ID, worker.getId()))))
                .addTracerProviderCustomizer((tracerProvider, config) ->
                        tracerProvider.addSpanProcessor(RecordEvenWithoutExporter.INSTANCE))
                // The worker shuts the SDK down itself, after the job pipeline has ended its last spans.
                .disableShutdownHook()
                .build()
                .getOpenTelemetrySdk();
    }

    /**
     * An SDK without any span processor hands out no spans at all (the request's context passes through unchanged),
     * so without an exporter the logs would carry no trace ID for a request that came without one, and the outputs
     * not the worker's span. This processor does nothing but keep spans made: the worker's trace IDs are the same
     * whether or not a collector listens.
     */
    private enum RecordEvenWithoutExporter implements SpanProcessor {
        INSTANCE;

        @Override
        public void onStart(Context parentContext, ReadWriteSpan span) {
        }

        @Override
        public boolean isStartRequired() {
            return false;
        }

        @Override
        public void onEnd(ReadableSpan span) {
        }

        @Override
        public boolean isEndRequired() {
            return false;
        }
    }

    private static Map<String, String> tracesExporter(ConfigProperties config) {
        if (config.getString("otel.traces.exporter") != null) {
            return Map.of();
        }
        // Blank counts as unset: compose passes OTEL_EXPORTER_OTLP_ENDPOINT through, empty when not configured.
        boolean endpoint = !config.getString("otel.exporter.otlp.endpoint", "").isBlank()
                || !config.getString("otel.exporter.otlp.traces.endpoint", "").isBlank();
        return Map.of("otel.traces.exporter", endpoint ? "otlp" : "none");
    }
}
