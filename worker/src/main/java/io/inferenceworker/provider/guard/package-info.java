/**
 * Each provider instance's protections, so one provider's trouble never slows another's jobs: a circuit breaker
 * ({@code CircuitGate}), request and token rate limits ({@code RateGate}, {@code TokenBudget}), a concurrency limit,
 * and a bounded {@link io.inferenceworker.provider.guard.WaitingRoom} for the jobs that wait. Composed by
 * {@link io.inferenceworker.provider.guard.GuardedProvider}; settings in
 * {@link io.inferenceworker.provider.guard.Protections}. Built on Resilience4j's public API.
 */
package io.inferenceworker.provider.guard;
