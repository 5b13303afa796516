/**
 * Each provider instance's protections, so one provider's trouble never slows another's jobs, and the one retry loop.
 * {@link io.inferenceworker.provider.guard.ProviderGuard} composes a circuit breaker ({@code CircuitGate}), request
 * and token rate limits ({@code RateGate}, {@code TokenBudget}), a concurrency limit, and a bounded
 * {@link io.inferenceworker.provider.guard.WaitingRoom} for the jobs that wait; settings in
 * {@link io.inferenceworker.provider.guard.Protections}. A try through the guard returns a
 * {@link io.inferenceworker.provider.guard.Guarded} outcome (answered, failed, or deferred: come back later) rather
 * than throwing, and {@link io.inferenceworker.provider.guard.AttemptLoop} is the plain loop over those outcomes that
 * both completions and vote forwarding use. Built on Resilience4j's public API and Failsafe's {@code Timeout}.
 */
package io.inferenceworker.provider.guard;
