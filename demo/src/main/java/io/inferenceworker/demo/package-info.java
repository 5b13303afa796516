/**
 * The one-command local demo ({@code ./mvnw -q -pl demo -am compile exec:java}): starts the in-JVM dev stack
 * (embedded Kafka, schema registry, provider simulator), a worker with one provider instance per dialect, runs sample
 * jobs through the {@code producer-example} CLI and prints their outcomes, then keeps running until Ctrl-C so the CLI
 * can be tried against it.
 *
 * <p>{@link io.inferenceworker.demo.Demo} orchestrates; {@link io.inferenceworker.demo.DemoProvider} knows each
 * dialect's simulator and real endpoint, {@link io.inferenceworker.demo.DemoSettings} reads the environment
 * ({@code DEMO_REAL_PROVIDERS}, API keys), {@code WorkerConfig} builds the worker's properties, {@code SampleJobs}
 * runs the samples, {@code CliLauncher} writes the {@code producer-example} script for the running stack and
 * {@code ScratchDir} holds the worker's per-run votes state.
 * A demo, not a deployment: production uses real Kafka, a real registry and the worker's own configuration.
 */
package io.inferenceworker.demo;
