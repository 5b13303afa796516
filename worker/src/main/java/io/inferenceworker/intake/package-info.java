/**
 * Reading request records and bounding concurrency: the consumer-group intake (one poll thread, a job per virtual
 * thread, a global in-flight limit, pause/resume backpressure, commits of the first offset not complete per partition
 * with its leader epoch and the offsets completed beyond it in the commit metadata, trusted by the next owner only for
 * the same topic ID, offset and position; bounded commits and close at shutdown) and the share-group intake (explicit
 * ACCEPT / RELEASE / REJECT / RENEW acknowledgements). Both read one request topic or several with weights
 * ({@code topics.request-priorities}): {@code WeightedTopics} decides which topic's waiting
 * record starts next when the in-flight limit is contended.
 */
package io.inferenceworker.intake;
