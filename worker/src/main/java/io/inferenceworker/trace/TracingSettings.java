package io.inferenceworker.trace;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * Tracing, {@code tracing.*}. Exporters, sampling and resource attributes are OpenTelemetry's own {@code OTEL_*}
 * settings (see {@link TelemetryFactory}).
 *
 * <p>Defaults: tracing on ({@value #DEFAULT_ENABLED}: spans are made, and exported only when an exporter is
 * configured); no prompt or completion text in spans ({@value #DEFAULT_INCLUDE_CONTENT}).
 */
@ConfigurationProperties("tracing")
public class TracingSettings {
    public static final boolean DEFAULT_ENABLED = true;
    public static final boolean DEFAULT_INCLUDE_CONTENT = false;

    private boolean enabled = DEFAULT_ENABLED;
    private boolean includeContent = DEFAULT_INCLUDE_CONTENT;

    /**
     * Whether the worker makes spans. Off, it still forwards the request's trace context to the provider and the
     * outputs, unchanged (OpenTelemetry's no-op API).
     */
    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * Debugging only: put the request's messages and the reply's choices in the {@code chat} spans
     * ({@code gen_ai.input.messages}, {@code gen_ai.output.messages}). Whoever reads the traces then reads every
     * prompt and completion.
     */
    public boolean isIncludeContent() {
        return includeContent;
    }

    public void setIncludeContent(boolean includeContent) {
        this.includeContent = includeContent;
    }
}
