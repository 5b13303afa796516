package io.inferenceworker.publish;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
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
 *
 * <p>A dead letter always fits the producer's {@code max.request.size} ({@link #DEFAULT_MAX_RECORD_BYTES} unless
 * configured): when the original value would not fit, its head is kept and {@value #ORIGINAL_VALUE_SIZE} and
 * {@value #ORIGINAL_VALUE_SHA256} say how long the whole value was and what its SHA-256 is, so the original can be
 * found and checked in the request topic; {@link #withoutValue} drops the value altogether for a dead letter the
 * broker still refuses (a topic whose {@code max.message.bytes} is smaller than the producer's limit).
 *
 * <p>Immutable and thread-safe.
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
    /** Set only on a dead letter whose value was cut: the original value's length in bytes. */
    public static final String ORIGINAL_VALUE_SIZE = PREFIX + "original.value.size";
    /** Set only on a dead letter whose value was cut: the original value's SHA-256, lower-case hex. */
    public static final String ORIGINAL_VALUE_SHA256 = PREFIX + "original.value.sha256";

    /** Kafka's default {@code max.request.size}. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;
    /**
     * Bytes kept free below the limit for what the estimate leaves out: the record batch header (61 bytes), the
     * record's varint lengths and attributes (a few bytes per header) and the two headers of a cut value.
     */
    static final int OVERHEAD_MARGIN = 1024;
    /** Longest exception message kept in a header; a longer one is cut (it never needs the whole text). */
    static final int MAX_MESSAGE_CHARS = 4096;

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

        /** This reason, with the HTTP status the provider last answered (null: none). */
        public Reason withHttpStatus(Integer status) {
            return new Reason(stage, exceptionClass, message, errorCode, attempts, provider, status, jobId);
        }

        /** This reason, with the number of provider attempts made. */
        public Reason withAttempts(int attempts) {
            return new Reason(stage, exceptionClass, message, errorCode, attempts, provider, httpStatus, jobId);
        }
    }

    private final String topic;
    private final String workerId;
    private final int maxRecordBytes;

    /** Dead letters that fit {@link #DEFAULT_MAX_RECORD_BYTES}. */
    public DeadLetters(String topic, String workerId) {
        this(topic, workerId, DEFAULT_MAX_RECORD_BYTES);
    }

    /**
     * @param maxRecordBytes the producer's {@code max.request.size}: no dead letter is larger
     */
    public DeadLetters(String topic, String workerId, int maxRecordBytes) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.workerId = Objects.requireNonNull(workerId, "workerId");
        if (maxRecordBytes < 2 * OVERHEAD_MARGIN) {
            throw new IllegalArgumentException("max record size too small for a dead letter: " + maxRecordBytes);
        }
        this.maxRecordBytes = maxRecordBytes;
    }

    /** The largest record this builds, in bytes. */
    public int maxRecordBytes() {
        return maxRecordBytes;
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
        add(headers, EXCEPTION_MESSAGE, reason.message().length() > MAX_MESSAGE_CHARS
                ? reason.message().substring(0, MAX_MESSAGE_CHARS) + "..." : reason.message());
        add(headers, ERROR_CODE, reason.errorCode());
        add(headers, ATTEMPTS, reason.attempts());
        add(headers, PROVIDER, reason.provider());
        add(headers, HTTP_STATUS, reason.httpStatus());
        add(headers, JOB_ID, reason.jobId());
        add(headers, WORKER_ID, workerId);
        byte[] value = source.value();
        int room = maxRecordBytes - OVERHEAD_MARGIN - length(source.key()) - length(headers);
        if (value != null && value.length > room) {
            describeOriginal(headers, value);
            value = Arrays.copyOf(value, Math.max(0, room));
        }
        return new ProducerRecord<>(topic, null, source.key(), value, headers);
    }

    /**
     * The same dead letter with an empty value, for when even a cut one is refused; the original value's size and
     * hash are in its headers (added here when the value was not cut already).
     */
    public ProducerRecord<byte[], byte[]> withoutValue(ProducerRecord<byte[], byte[]> deadLetter,
                                                       ConsumerRecord<byte[], byte[]> source) {
        Headers headers = new RecordHeaders(deadLetter.headers().toArray());
        if (headers.lastHeader(ORIGINAL_VALUE_SIZE) == null && source.value() != null) {
            describeOriginal(headers, source.value());
        }
        return new ProducerRecord<>(deadLetter.topic(), null, deadLetter.key(), new byte[0], headers);
    }

    private static void describeOriginal(Headers headers, byte[] value) {
        add(headers, ORIGINAL_VALUE_SIZE, value.length);
        add(headers, ORIGINAL_VALUE_SHA256, sha256(value));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    private static int length(Headers headers) {
        int total = 0;
        for (Header h : headers) {
            total += h.key().getBytes(StandardCharsets.UTF_8).length + length(h.value()) + 10; // + varints
        }
        return total;
    }

    private static void add(Headers headers, String key, Object value) {
        if (value != null) {
            headers.add(key, value.toString().getBytes(StandardCharsets.UTF_8));
        }
    }
}
