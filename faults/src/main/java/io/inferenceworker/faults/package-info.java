/**
 * The fault suite of issue 13: does the worker keep "no lost job, ever" when its process, the broker, an output
 * topic, a provider or the schema registry fails under it?
 *
 * <p>{@link io.inferenceworker.faults.FaultSuite} is the command; {@code FaultSuiteTest} runs its short form in
 * {@code ./mvnw verify}. Each {@link io.inferenceworker.faults.Scenario} runs the worker
 * ({@code io.inferenceworker.Application}) as a JVM of its own ({@link io.inferenceworker.faults.WorkerProcess})
 * against a broker that is a process of its own too ({@link io.inferenceworker.faults.BrokerProcess}, restartable on
 * the same port and data), the embedded schema registry and the provider simulator (both in the suite's JVM, on
 * loopback), feeds it jobs with a fault mix and poison records ({@link io.inferenceworker.faults.Workload}), injects
 * its fault ({@link io.inferenceworker.faults.Injector}), reads every result and dead letter by key
 * ({@link io.inferenceworker.faults.OutputWatch}) and reports one {@link io.inferenceworker.faults.Row} judged by
 * the pass criteria ({@link io.inferenceworker.faults.Criteria}).
 */
package io.inferenceworker.faults;
