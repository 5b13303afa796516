/**
 * Model routes with fallbacks: {@code routes.<name>} names an ordered list of provider instance and model pairs (hops)
 * and the conditions that move a job on to the next hop. A job names a route where it names a provider instance;
 * the job layer serves it hop by hop ({@code job.JobProcessor}), and this package decides, from how a hop ended,
 * whether to move on ({@link io.inferenceworker.route.Route}). Depends on the {@code provider} SPI and registry only.
 */
package io.inferenceworker.route;
