/**
 * Getting records out: one idempotent producer ({@code acks=all}) shared by every job
 * ({@link io.inferenceworker.publish.OutputPublisher}) and the dead-letter convention
 * ({@link io.inferenceworker.publish.DeadLetters}): the original key, value and headers byte for byte, plus
 * Kafka Connect's {@code __connect.errors.*} headers saying where the record came from and why it failed; and where
 * a job's outputs go ({@link io.inferenceworker.publish.Destinations}): the default topics, its tenant's own
 * ({@link io.inferenceworker.publish.TenantTopicSettings}), or topics the request names when the allow-list grants
 * them.
 */
package io.inferenceworker.publish;
