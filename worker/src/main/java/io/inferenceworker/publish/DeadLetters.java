package io.inferenceworker.publish;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Builds dead letters following Kafka Connect's convention: the original key, value and headers byte for byte, so a
 * dead letter can be replayed to the request topic as it is, plus {@code __connect.errors.*} headers, all UTF-8 text.
 *
 * <p>Connect's own headers: {@value #TOPIC}, {@value #PARTITION}, {@value #OFFSET}, {@value #EXCEPTION_CLASS},
 * {@value #EXCEPTION_MESSAGE}, {@value #STAGE}. Ours, under the same prefix: timestamp, consumer group, attempts,
 * provider, HTTP status, error code, job ID, worker ID. Never a secret, never prompt text: messages come from our own
 * exceptions, which are written not to contain either.
 */
public final class DeadLetters {
    public static final String PREFIX = "__connect.errors.";
    public static final String TOPIC = PREFIX + "topic";
    public static final String PARTITION = PREFIX + "partition";
    public static final String OFFSET = PREFIX + "offset";
    public static final String TIMESTAMP = PREFIX + "timestamp";
    public static final String CONSUMER_GROUP = PREFIX + "consumer.group";
    public static final String EXCEPTION_CLASS = PREFIX + "exception.class.name";
    public static final String EXCEPTION_MESSAGE = PREFIX + "exception.message";
    public static final String STAGE = PREFIX + "stage";
    public static final String ATTEMPTS = PREFIX + "attempts";
    public static final String PROVIDER = PREFIX + "provider";
    public static final String HTTP_STATUS = PREFIX + "http.status";
    public static final String ERROR_CODE = PREFIX + "error.code";
    public static final String JOB_ID = PREFIX + "job.id";
    public static final String WORKER_ID = PREFIX + "worker.id";

    /**
     * Where a record failed; {@code JOIN}: a vote whose job's result never arrived within the wait window;
     * {@code DELIVERY_LIMIT}: a share-group record at its last delivery that did not finish (header value
     * {@code delivery_limit}).
     */
    public enum Stage { DECODE, VALIDATE, PROVIDER, PUBLISH, JOIN, DELIVERY_LIMIT }

    /**
     * Why a record is dead-lettered.
     *
     * @param stage          where it failed
     * @param exceptionClass the failure's class name
     * @param message        what went wrong (no secrets, no prompt text)
     * @param errorCode      stable machine code, or null
     * @param attempts       provider attempts made
     * @param provider       provider instance, or null before one was chosen
     * @param httpStatus     the provider's last HTTP status, or null
     * @param jobId          the job ID, or null when the record could not be decoded
     */
    public record Reason(Stage stage, String exceptionClass, String message, String errorCode, int attempts,
                         String provider, Integer httpStatus, String jobId) {
        public Reason {
            Objects.requireNonNull(stage, "stage");
            Objects.requireNonNull(exceptionClass, "exceptionClass");
            Objects.requireNonNull(message, "message");
        }

        /** A reason with no provider context (no attempts, provider, HTTP status nor job ID). */
        public static Reason of(Stage stage, String exceptionClass, String message, String errorCode) {
            return new Reason(stage, exceptionClass, message, errorCode, 0, null, null, null);
        }

        /** This reason, naming the job and its provider (either may be null). */
        public Reason withJob(String jobId, String provider) {
            return new Reason(stage, exceptionClass, message, errorCode, attempts, provider, httpStatus, jobId);
        }

        /** This reason, with the number of provider attempts made. */
        public Reason withAttempts(int attempts) {
            return new Reason(stage, exceptionClass, message, errorCode, attempts, provider, httpStatus, jobId);
        }
    }

    private final String topic;
    private final String workerId;

    public DeadLetters(String topic, String workerId) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.workerId = Objects.requireNonNull(workerId, "workerId");
    }

    public ProducerRecord<byte[], byte[]> of(ConsumerRecord<byte[], byte[]> source, String groupId, Reason reason) {
        Headers headers = new RecordHeaders();
        for (Header h : source.headers()) {
            if (!h.key().startsWith(PREFIX)) {
                headers.add(h.key(), h.value());
            }
        }
        add(headers, TOPIC, source.topic());
        add(headers, PARTITION, source.partition());
        add(headers, OFFSET, source.offset());
        add(headers, TIMESTAMP, source.timestamp());
        add(headers, CONSUMER_GROUP, groupId);
        add(headers, STAGE, reason.stage().name().toLowerCase(java.util.Locale.ROOT));
        add(headers, EXCEPTION_CLASS, reason.exceptionClass());
        add(headers, EXCEPTION_MESSAGE, reason.message());
        add(headers, ERROR_CODE, reason.errorCode());
        add(headers, ATTEMPTS, reason.attempts());
        add(headers, PROVIDER, reason.provider());
        add(headers, HTTP_STATUS, reason.httpStatus());
        add(headers, JOB_ID, reason.jobId());
        add(headers, WORKER_ID, workerId);
        return new ProducerRecord<>(topic, null, source.key(), source.value(), headers);
    }

    private static void add(Headers headers, String key, Object value) {
        if (value != null) {
            headers.add(key, value.toString().getBytes(StandardCharsets.UTF_8));
        }
    }
}
