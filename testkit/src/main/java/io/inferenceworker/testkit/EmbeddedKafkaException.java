package io.inferenceworker.testkit;

/**
 * Thrown when the embedded Kafka cluster cannot start, stop, or carry out an administrative request
 * (topic creation, group configuration). The message names the operation and its subject; the cause is
 * the Kafka exception that made it fail.
 */
public final class EmbeddedKafkaException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message the failed operation and its subject, e.g. "could not create topics [a, b]"
     * @param cause   what Kafka reported, or {@code null}
     */
    public EmbeddedKafkaException(String message, Throwable cause) {
        super(message, cause);
    }
}
