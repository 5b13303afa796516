package io.inferenceworker.provider.elastic;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The Elasticsearch-specific {@code providers.<name>.options.*}, parsed once at start-up. Defaults:
 * <ul>
 *   <li>{@value #TIMEOUT} ({@value #AUTO}): the {@code ?timeout=} query parameter, how long Elasticsearch waits for
 *       the inference service. {@value #AUTO} sends the time left until the attempt's deadline, in milliseconds, so
 *       Elasticsearch neither gives up before the worker does (its own default was 30 s in 8.x) nor keeps working for
 *       an attempt the worker has abandoned; {@value #NONE} sends no parameter (Elasticsearch's default applies); an
 *       Elasticsearch time value ({@code 30s}, {@code 2m}, {@code 500ms}, {@code -1}, ...) is sent as is.</li>
 *   <li>{@value #SERVICE_MODEL} (none): the body's {@code model}, which overrides the model configured in the
 *       inference endpoint at its service (e.g. {@code gpt-4o-mini} for an OpenAI-backed endpoint). Without it the
 *       endpoint's own model answers. The job's {@code model} is not sent there: it names the inference ID.</li>
 * </ul>
 *
 * @param timeout      {@value #AUTO}, {@value #NONE} or an Elasticsearch time value
 * @param serviceModel the body's {@code model}, or null
 */
record ElasticOptions(String timeout, String serviceModel) {
    static final String TIMEOUT = "timeout";
    static final String SERVICE_MODEL = "service-model";
    static final String AUTO = "auto";
    static final String NONE = "none";
    /** Elasticsearch's time-value syntax ({@code TimeValue.parseTimeValue}). */
    private static final Pattern TIME_VALUE = Pattern.compile("-1|0|\\d+(nanos|micros|ms|s|m|h|d)");

    ElasticOptions {
        Objects.requireNonNull(timeout, "timeout");
    }

    /**
     * Reads the options, applying the defaults above.
     *
     * @throws IllegalArgumentException naming the option when a value is invalid
     */
    static ElasticOptions of(Map<String, String> options) {
        String timeout = options.getOrDefault(TIMEOUT, AUTO).trim();
        String lower = timeout.toLowerCase(Locale.ROOT);
        if (lower.equals(AUTO) || lower.equals(NONE)) {
            timeout = lower;
        } else if (!TIME_VALUE.matcher(timeout).matches()) {
            throw new IllegalArgumentException("options." + TIMEOUT + " must be " + AUTO + ", " + NONE
                    + " or an Elasticsearch time value such as 30s: " + timeout);
        }
        String serviceModel = options.get(SERVICE_MODEL);
        if (serviceModel != null) {
            serviceModel = serviceModel.trim();
            if (serviceModel.isEmpty()) {
                throw new IllegalArgumentException("options." + SERVICE_MODEL + " must not be blank");
            }
        }
        return new ElasticOptions(timeout, serviceModel);
    }

    /** The {@code timeout} query value for an attempt with {@code timeLeft} until its deadline, if one is sent. */
    Optional<String> timeoutParameter(Duration timeLeft) {
        return switch (timeout) {
            case AUTO -> Optional.of(Math.max(1, timeLeft.toMillis()) + "ms");
            case NONE -> Optional.empty();
            default -> Optional.of(timeout);
        };
    }
}
