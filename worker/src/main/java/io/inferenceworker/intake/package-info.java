/**
 * Reading request records and bounding concurrency: the consumer-group intake (one poll thread, a job per virtual
 * thread, a global in-flight limit, pause/resume backpressure, commits of the highest contiguous completed offset per
 * partition with completed-beyond-the-gap offsets remembered in the commit metadata) and the share-group intake
 * (explicit ACCEPT / RELEASE / REJECT / RENEW acknowledgements).
 */
package io.inferenceworker.intake;
