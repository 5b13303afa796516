/**
 * One job, top to bottom: {@link io.inferenceworker.job.JobPipeline} takes a raw request record, decodes it
 * ({@link io.inferenceworker.job.JobDecoder}), validates it, checks its deadline, calls its provider with retries
 * ({@link io.inferenceworker.job.AttemptRunner} over the provider layer's
 * {@link io.inferenceworker.provider.guard.AttemptLoop}), turns the {@link io.inferenceworker.job.Outcome}
 * into output records ({@link io.inferenceworker.job.ResultFactory}) and publishes them
 * ({@link io.inferenceworker.job.JobOutputs}, each record re-sent on its own while it fails transiently by
 * {@link io.inferenceworker.job.OutputSender}), answering the intake with a {@link io.inferenceworker.job.Disposition}
 * only once Kafka has acknowledged every output.
 *
 * <p>The retry policy ({@link io.inferenceworker.provider.RetryConfig}) and the retry loop
 * ({@link io.inferenceworker.provider.guard.AttemptLoop}) live in the provider layer, which also classifies every
 * failure; this package turns the loop's ending into the job's outcome.
 */
package io.inferenceworker.job;
