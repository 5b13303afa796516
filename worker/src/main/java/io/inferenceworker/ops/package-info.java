/**
 * Operating the worker: metrics and health.
 *
 * <p><b>Metrics</b> (Micrometer, scraped at {@code /prometheus}; Prometheus names in parentheses):
 * <ul>
 *   <li>{@code inference.jobs} ({@code inference_jobs_total}) — jobs by {@code outcome} (succeeded, failed, expired,
 *       invalid, undecodable) and {@code provider}; {@code inference.tenant.jobs} ({@code inference_tenant_jobs_total})
 *       — the same by {@code tenant} ({@code none} when the request names none) and {@code outcome};</li>
 *   <li>{@code inference.job.duration} ({@code inference_job_duration_seconds}) — end to end, from the request
 *       record's timestamp until every output of the job was acknowledged, by {@code provider} and {@code outcome},
 *       as a histogram with fixed buckets from 0.1 s to 30 min (undecodable records are not timed);</li>
 *   <li>{@code inference.job.queue.time} ({@code inference_job_queue_time_seconds}) — from the request record's
 *       timestamp until its job starts, by {@code provider}, buckets from 10 ms to 1 h;</li>
 *   <li>{@code inference.provider.latency} ({@code inference_provider_latency_seconds}) — one provider attempt, by
 *       {@code provider}, {@code model}, {@code status} ({@code ok} or the error code) and {@code http_status}, as a
 *       histogram with buckets up to 120 s;</li>
 *   <li>{@code inference.provider.retries} ({@code inference_provider_retries_total}) — by {@code provider},
 *       {@code code};</li>
 *   <li>{@code inference.dead.letters} ({@code inference_dead_letters_total}) — by {@code stage};</li>
 *   <li>{@code inference.tokens} ({@code inference_tokens_total}) — by {@code provider}, {@code model},
 *       {@code direction} (in, out); {@code inference.cost} ({@code inference_cost_total}) — estimated cost by
 *       {@code provider}, {@code model} and {@code currency} (the provider instance's
 *       {@code providers.<name>.price.currency}, default USD);</li>
 *   <li>{@code inference.tenant.tokens} ({@code inference_tenant_tokens_total}) — by {@code tenant},
 *       {@code direction}; {@code inference.tenant.cost} ({@code inference_tenant_cost_total}) — by {@code tenant},
 *       {@code currency};</li>
 *   <li>{@code inference.tenant.limit.wait} ({@code inference_tenant_limit_wait_seconds}) — waits of jobs for their
 *       tenant's rate permits, by {@code tenant}; {@code inference.tenant.refusals}
 *       ({@code inference_tenant_refusals_total}) — jobs refused by their tenant's limits, by {@code tenant} and
 *       {@code reason} (tenant_rate_limited, tenant_backlog_full, budget_exceeded);</li>
 *   <li>{@code inference.route.fallbacks} ({@code inference_route_fallbacks_total}) — routed jobs that left a hop for
 *       the next, by {@code route}, {@code provider} (the hop left) and {@code reason} (its error code);</li>
 *   <li>{@code gen_ai.client.token.usage} ({@code gen_ai_client_token_usage}) — the OpenTelemetry GenAI histogram of
 *       tokens per call, by {@code gen_ai.token.type} (input, output), {@code gen_ai.provider.name} (the
 *       instance's dialect: {@code openai}, {@code vultr}, ..., as on the spans), {@code provider} (the instance),
 *       {@code gen_ai.request.model} (as requested, else the instance's default model) and
 *       {@code gen_ai.operation.name} ({@code chat}), with the conventions' buckets (powers of 4 up to 4^13);</li>
 *   <li>{@code inference.provider.limiter.wait} ({@code inference_provider_limiter_wait_seconds}) — waits for a
 *       provider instance's local permits, by {@code provider} and {@code limiter} (concurrency, requests, tokens);
 *       {@code inference.provider.deferrals} ({@code inference_provider_deferrals_total}) — calls sent back to wait
 *       outside their attempt, by {@code provider} and {@code reason} (concurrency, requests, tokens, circuit_open);</li>
 *   <li>{@code inference.provider.circuit.state} ({@code inference_provider_circuit_state}) — 1 for each provider's
 *       current circuit breaker {@code state} (closed, open, half_open, disabled, ...), 0 for the others;
 *       {@code inference.provider.circuit.transitions} ({@code inference_provider_circuit_transitions_total}) — by
 *       {@code provider} and the {@code state} entered;</li>
 *   <li>{@code inference.provider.waiting} ({@code inference_provider_waiting}) — jobs of a provider instance
 *       waiting in its waiting room (breaker open, rate-limited), by {@code provider};
 *       {@code inference.provider.waiting.capacity} ({@code inference_provider_waiting_capacity}) — the most that
 *       may wait, {@code ceil(worker.provider-waiting-share × worker.in-flight-limit)};</li>
 *   <li>{@code inference.jobs.in.flight} ({@code inference_jobs_in_flight}) — jobs started and not finished;
 *       {@code inference.jobs.in.flight.limit} ({@code inference_jobs_in_flight_limit}) —
 *       {@code worker.in-flight-limit};</li>
 *   <li>{@code inference.oldest.job.age} ({@code inference_oldest_job_age_seconds}) — how long the oldest job in
 *       flight has been running, 0 when none runs;</li>
 *   <li>the Kafka clients' own metrics through Micrometer's {@code KafkaClientMetrics}, among them the consumer's
 *       lag per partition, {@code kafka_consumer_fetch_manager_records_lag{topic,partition}}; and the votes Kafka
 *       Streams application's through {@code KafkaStreamsMetrics} ({@code kafka_stream_*}, plus its embedded
 *       clients' {@code kafka_consumer_*} and {@code kafka_producer_*}).</li>
 * </ul>
 * Tag values that requests can choose (model, provider, tenant) are capped, see
 * {@link io.inferenceworker.ops.OpsSettings}. A Grafana dashboard and Prometheus alert rules over these meters are in
 * {@code deploy/grafana/}.
 *
 * <p><b>Health</b> ({@code /health}, {@code /health/liveness}, {@code /health/readiness}): liveness says the intake's
 * poll thread runs and no job in flight is older than {@code ops.max-job-age}; readiness says Kafka answers
 * {@code describeCluster}, the Schema Registry answers {@code GET /subjects}, each within {@code ops.health-timeout},
 * and (intake enabled) every output topic exists and grants WRITE, every request topic ({@code topics.requests} or
 * each of {@code topics.request-priorities}) exists and grants READ.
 */
package io.inferenceworker.ops;
