package io.inferenceworker.config;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

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
}
