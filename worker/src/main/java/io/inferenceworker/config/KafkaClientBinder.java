package io.inferenceworker.config;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Binds a Kafka client the worker creates to whatever observes clients (the metrics registry, see
 * {@code ops.KafkaClientMeters}). Declared here, beside the Kafka settings, so that intake and publishing need not
 * depend on operations. Implementations are thread-safe; binding returns the client itself.
 */
public interface KafkaClientBinder {

    /** Observes {@code consumer} from now until the binder closes; returns it. */
    <C extends Consumer<?, ?>> C bindConsumer(C consumer);

    /** Observes {@code producer} from now until the binder closes; returns it. */
    <P extends Producer<?, ?>> P bindProducer(P producer);

    /**
     * Observes the Kafka Streams application {@code streams} until the returned handle is closed (close it with the
     * application) or the binder closes. Closing the handle twice does nothing.
     */
    AutoCloseable bindStreams(KafkaStreams streams);
}
