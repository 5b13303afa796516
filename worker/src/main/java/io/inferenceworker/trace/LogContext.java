package io.inferenceworker.trace;

import io.opentelemetry.api.trace.SpanContext;
import org.slf4j.MDC;

/**
 * The job's fields in the SLF4J {@link MDC} of its thread, so every line logged while it runs carries them (as
 * {@code mdc} members with {@code LOG_FORMAT=json}). Names follow OpenTelemetry's Logback MDC instrumentation for the
 * trace fields ({@code trace_id}, {@code span_id}, {@code trace_flags}).
 *
 * <p>A job runs on a virtual thread of its own, so the context is the job's alone; it is still removed when the job
 * ends, for the code that runs after it on that thread.
 */
final class LogContext {
    static final String JOB_ID = "job_id";
    static final String TENANT = "tenant";
    static final String PROVIDER = "provider";
    static final String MODEL = "model";
    static final String TRACE_ID = "trace_id";
    static final String SPAN_ID = "span_id";
    static final String TRACE_FLAGS = "trace_flags";
    private static final String[] KEYS = {JOB_ID, TENANT, PROVIDER, MODEL, TRACE_ID, SPAN_ID, TRACE_FLAGS};

    private LogContext() {
    }

    static void span(SpanContext span) {
        if (span.isValid()) {
            MDC.put(TRACE_ID, span.getTraceId());
            MDC.put(SPAN_ID, span.getSpanId());
            MDC.put(TRACE_FLAGS, span.getTraceFlags().asHex());
        }
    }

    static void job(String jobId, String tenant, String provider, String model) {
        put(JOB_ID, jobId);
        put(TENANT, tenant);
        put(PROVIDER, provider);
        put(MODEL, model);
    }

    static void clear() {
        for (String key : KEYS) {
            MDC.remove(key);
        }
    }

    private static void put(String key, String value) {
        if (value != null) {
            MDC.put(key, value);
        }
    }
}
