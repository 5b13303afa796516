/**
 * The benchmark: how many jobs per second the worker sustains, how much latency it adds on top of the provider's,
 * and what a job costs in worker CPU and heap, next to what most teams write instead (a synchronous consumer,
 * {@link io.inferenceworker.bench.BaselineConsumer}, and Confluent's Parallel Consumer,
 * {@link io.inferenceworker.bench.ParallelConsumerContender}), on the same broker, simulator and partitions.
 *
 * <p>{@link io.inferenceworker.bench.Bench} is the command (see {@code bench/README.md}); it is a tool, not a test.
 * It starts the embedded dev stack in its own JVM, forks the worker ({@code io.inferenceworker.Application}) and the
 * other contestants each in a JVM of their own per scenario ({@link io.inferenceworker.testkit.JvmForks}), feeds them requests
 * ({@link io.inferenceworker.bench.RequestFeeder}), reads their results
 * ({@link io.inferenceworker.bench.ResultCollector}),
 * samples the worker's {@code /prometheus} and {@code /proc/<pid>/stat} ({@link io.inferenceworker.bench.ProcessProbe})
 * and writes {@code results.md}, {@code throughput.png} and {@code overhead.png}
 * ({@link io.inferenceworker.bench.Report}, {@link io.inferenceworker.bench.Charts}). The worker starts as the
 * container image starts it, from its jar with a JDK 25 AOT cache that the run trains first
 * ({@link io.inferenceworker.bench.Launcher}).
 *
 * <p>{@link io.inferenceworker.bench.AotCacheTraining} is the second command: it trains that cache on the same stack,
 * alone, and the container image runs it at build time.
 */
package io.inferenceworker.bench;
