/**
 * Tracing and the logging context of jobs: one OpenTelemetry trace per job, after the messaging and GenAI semantic
 * conventions, and the job's fields in the SLF4J {@link org.slf4j.MDC} while it runs.
 *
 * <p>A job's spans ({@link io.inferenceworker.trace.JobSpans}): {@code process <request topic>} (consumer; the
 * request record's {@code traceparent}/{@code tracestate} as parent, a new root without them; queue time from the
 * record timestamp) → one {@code chat <model>} (client) per try through the provider's protections (GenAI attributes,
 * HTTP status, error type, retry reason, deferral wait) → {@code send <results topic>} (producer, until Kafka
 * acknowledged every output). Every output record carries the W3C context of the span that sent it, so consumers of
 * results, usage and chunks can link back to the job.
 *
 * <p>The SDK is configured by OpenTelemetry's autoconfiguration from the standard {@code OTEL_*} environment variables
 * ({@link io.inferenceworker.trace.TelemetryFactory}); spans are exported only when an exporter is named
 * ({@code OTEL_TRACES_EXPORTER}) or an OTLP endpoint is set. Prompt and completion text stay out of spans unless
 * {@code tracing.include-content} is on.
 *
 * <p>Logs: {@link io.inferenceworker.trace.LogFormatDefiner} is the {@code LOG_FORMAT} switch (text or JSON) of the
 * worker's {@code logback.xml}; the job's fields reach every line through the MDC (see {@code LogContext}).
 *
 * <p>Depends on {@code job} (it implements {@link io.inferenceworker.job.JobTracing}) and the provider SPI; nothing
 * depends on it but the wiring.
 */
package io.inferenceworker.trace;
