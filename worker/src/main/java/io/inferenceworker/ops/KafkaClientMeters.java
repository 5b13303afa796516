package io.inferenceworker.ops;

import io.inferenceworker.config.KafkaClientBinder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micronaut.context.BeanProvider;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a Kafka client's own metrics (Micrometer's {@link KafkaClientMetrics}) in the worker's registry: fetch
 * rates and, for a consumer, {@code kafka.consumer.fetch.manager.records.lag} per topic and partition; send rates,
 * errors and batch sizes for a producer; for the votes Kafka Streams application, Micrometer's
 * {@link KafkaStreamsMetrics} ({@code kafka_stream_*}: thread, task and state store metrics, beside its embedded
 * clients' own). Does nothing when metrics are disabled (no {@link MeterRegistry}).
 *
 * <p>Share consumers are not bound: Micrometer's binder only accepts {@link Consumer}, {@link Producer} and admin
 * clients, and a share group has no per-consumer partition lag anyway (its backlog is a group-level figure).
 *
 * <p>A client's metric set grows after it starts (a partition's lag exists once the partition is assigned), so the
 * binders re-read it every {@code ops.kafka-metrics-refresh}, on one daemon thread shared by all of them.
 *
 * <p>The binders live as long as the application context and are closed with it, after the clients they observe
 * (the clients' owners are created later, so they are destroyed first); closing removes their meters and stops the
 * refresh thread. Thread-safe.
 */
@Singleton
public class KafkaClientMeters implements KafkaClientBinder {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaClientMeters.class);

    private final BeanProvider<MeterRegistry> registry;
    private final Duration refresh;
    private final List<AutoCloseable> binders = new CopyOnWriteArrayList<>();
    private RefreshScheduler scheduler;

    KafkaClientMeters(BeanProvider<MeterRegistry> registry, OpsSettings settings) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.refresh = settings.getKafkaMetricsRefresh();
    }

    /** Binds {@code consumer}'s metrics and returns it, for use inline where the consumer is created. */
    @Override
    public <C extends Consumer<?, ?>> C bindConsumer(C consumer) {
        if (registry.isPresent()) {
            bind(new KafkaClientMetrics(consumer, Tags.empty(), scheduler()));
        }
        return consumer;
    }

    /** Binds {@code producer}'s metrics and returns it, for use inline where the producer is created. */
    @Override
    public <P extends Producer<?, ?>> P bindProducer(P producer) {
        if (registry.isPresent()) {
            bind(new KafkaClientMetrics(producer, Tags.empty(), scheduler()));
        }
        return producer;
    }

    /** Binds the Streams application's metrics; the handle closes the binder (its meters leave the registry). */
    @Override
    public AutoCloseable bindStreams(KafkaStreams streams) {
        if (!registry.isPresent()) {
            return () -> { };
        }
        KafkaStreamsMetrics binder = new KafkaStreamsMetrics(streams, Tags.empty(), scheduler());
        bind(binder);
        return () -> {
            if (binders.remove(binder)) {
                binder.close();
            }
        };
    }

    private <B extends MeterBinder & AutoCloseable> void bind(B binder) {
        binder.bindTo(registry.get());
        binders.add(binder);
    }

    private synchronized RefreshScheduler scheduler() {
        if (scheduler == null) {
            scheduler = new RefreshScheduler(refresh);
        }
        return scheduler;
    }

    /** Closes every binder (their meters leave the registry) and stops the refresh thread. */
    @PreDestroy
    public synchronized void close() {
        for (AutoCloseable binder : binders) {
            try {
                binder.close();
            } catch (Exception e) {
                LOG.warn("Closing a Kafka metrics binder failed: {}", e.toString());
            }
        }
        binders.clear();
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    /**
     * Runs the binders' periodic re-reads every {@code refresh} instead of Micrometer's fixed minute, which is too
     * slow to see a new partition's lag soon after a rebalance (and for tests).
     */
    private static final class RefreshScheduler extends ScheduledThreadPoolExecutor {
        private final long refreshMillis;

        RefreshScheduler(Duration refresh) {
            super(1, runnable -> Thread.ofPlatform().daemon().name("kafka-metrics-refresh").unstarted(runnable));
            this.refreshMillis = refresh.toMillis();
            setRemoveOnCancelPolicy(true);
        }

        @Override
        public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period,
                                                      TimeUnit unit) {
            return super.scheduleAtFixedRate(command, refreshMillis, refreshMillis, TimeUnit.MILLISECONDS);
        }
    }
}
