package io.inferenceworker.job;

/**
 * Opens the trace of each request record the pipeline runs. The worker's implementation (package {@code trace})
 * makes an OpenTelemetry span tree per job and puts the job's fields in the logging context; with tracing off it
 * carries the request's own W3C trace context to the provider and the outputs unchanged.
 *
 * <p>Implementations must be thread-safe: {@link #start} is called on every job's thread.
 */
public interface JobTracing {

    /**
     * Opens the trace of one record on the calling thread, the job's thread; the caller closes it there once the job
     * is done. Never throws.
     */
    JobTrace start(RequestRecord record);
}
