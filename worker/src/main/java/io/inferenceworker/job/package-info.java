/**
 * One job, top to bottom: {@link io.inferenceworker.job.JobPipeline} takes a raw request record, decodes it
 * ({@link io.inferenceworker.job.JobDecoder}), validates it, checks its deadline, calls its provider with retries
 * ({@link io.inferenceworker.job.AttemptRunner}, Failsafe underneath), turns the {@link io.inferenceworker.job.Outcome}
 * into output records ({@link io.inferenceworker.job.ResultFactory}) and publishes them
 * ({@link io.inferenceworker.job.JobOutputs}, each record re-sent on its own while it fails transiently by
 * {@link io.inferenceworker.job.OutputSender}), answering the intake with a {@link io.inferenceworker.job.Disposition}
 * only once Kafka has acknowledged every output.
 *
 * <p>The retry policy lives here ({@link io.inferenceworker.provider.RetryConfig}, {@link io.inferenceworker.job.RetryDelay});
 * which errors are worth retrying is decided by the provider layer, which classifies every failure.
 */
package io.inferenceworker.job;
