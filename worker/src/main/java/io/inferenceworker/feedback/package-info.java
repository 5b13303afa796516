/**
 * Votes: user feedback on completions. A {@code VoteRequest} keyed by job ID is joined with what the worker knows
 * of that job, derived from the result topic, forwarded to the provider that served the job when its dialect has a
 * rating API ({@link io.inferenceworker.provider.CompletionRater}), and published as a {@code VoteRecord} keyed by job
 * ID on the votes topic. Every vote request ends in exactly one VoteRecord or one dead letter: votes of several
 * users on one job are each recorded, in arrival order. Votes whose job stays unknown for {@code votes.wait-window}
 * are dead-lettered at stage {@code join}; what is kept of a job expires {@code votes.job-retention} after its
 * result.
 *
 * <p>Only results on {@code topics.results} are joined. A job whose result went to its tenant's own topic or to one
 * its request named ({@link io.inferenceworker.publish.Destinations}) stays unknown here, so its votes are
 * dead-lettered at stage {@code join} once the wait window has passed: every vote still ends in exactly one record.
 * Why not read those topics too: per-request topics are not known in advance, and each tenant topic would need its
 * own table (a table is restored from its one source topic) and the same partition count as the vote requests.
 *
 * <p>Runs as a Kafka Streams application beside the intake: {@link io.inferenceworker.feedback.VotesTopology}
 * explains the flow and its guarantees, {@link io.inferenceworker.feedback.VotesSettings} the configuration
 * ({@code votes.*}), {@link io.inferenceworker.feedback.CoPartitioning} the start-up check that the result and vote
 * request topics have the same partition count. {@link io.inferenceworker.feedback.VotesService} runs the
 * application, {@link io.inferenceworker.feedback.VotesLifecycle} ties it to the worker's life.
 */
package io.inferenceworker.feedback;
