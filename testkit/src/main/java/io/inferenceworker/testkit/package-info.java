/**
 * The in-JVM dev stack shared by every module's tests, the demo and the benchmark: an embedded KRaft Kafka broker
 * with share groups enabled ({@link io.inferenceworker.testkit.EmbeddedKafka}), a Schema-Registry-compatible test
 * double ({@link io.inferenceworker.testkit.EmbeddedSchemaRegistry}), provider simulators
 * ({@link io.inferenceworker.testkit.sim.ProviderSimulator}) and {@link io.inferenceworker.testkit.DevStack}, which
 * starts all three. Test doubles only: production uses real Kafka, a real registry and real providers.
 */
package io.inferenceworker.testkit;
