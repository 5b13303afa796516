package io.inferenceworker.provider.vultr;

import io.inferenceworker.provider.compat.RetryHints;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The Vultr-specific {@code providers.<name>.options.*}, parsed once at start-up. Defaults:
 * <ul>
 *   <li>{@value #RAG_PATH} ({@value #DEFAULT_RAG_PATH}): where requests with {@code rag_collection} go. The 1.2.0
 *       reference says {@code /v1/chat/completions/RAG}; one public client uses lowercase {@code /rag}, unconfirmed.</li>
 *   <li>{@value #RATING_PATH} ({@value #DEFAULT_RATING_PATH}): where votes go, with one {@code {id}} placeholder
 *       for the completion ID. The reference documents "Rate Chat Completion" (path parameter {@code id}, body
 *       {@code {"vote": "up"|"down"}}) but its path is not public: this default is <b>assumed</b>, by analogy with
 *       the chat path.</li>
 *   <li>{@value #RATING_TIMEOUT} ({@code 30s}): how long one rating call may take, as a Go-style duration.</li>
 *   <li>{@value #ALLOW_EXTENDED_PARAMETERS} ({@code false}): also send what the 1.2.0 reference does not list:
 *       {@code n}, {@code logprobs}, {@code top_logprobs}, {@code frequency_penalty} and {@code presence_penalty}
 *       (which a later revision of Vultr's API added, per the provider notes), {@code stop}, and
 *       {@code stream_options.include_usage} with streams (so the stream's own usage is used instead of an
 *       estimate). Off, such request fields are rejected as invalid and streams are requested without
 *       {@code stream_options}.</li>
 * </ul>
 *
 * @param ragPath                 path of the RAG chat completion
 * @param ratingPath              path template of the rating, containing {@code {id}}
 * @param ratingTimeout           time allowed for one rating call
 * @param allowExtendedParameters whether parameters the 1.2.0 reference lacks are sent rather than rejected
 */
record VultrOptions(String ragPath, String ratingPath, Duration ratingTimeout, boolean allowExtendedParameters) {
    static final String RAG_PATH = "rag-path";
    static final String RATING_PATH = "rating-path";
    static final String RATING_TIMEOUT = "rating-timeout";
    static final String ALLOW_EXTENDED_PARAMETERS = "allow-extended-parameters";
    static final String DEFAULT_RAG_PATH = "/v1/chat/completions/RAG";
    static final String DEFAULT_RATING_PATH = "/v1/chat/completions/{id}/rate";
    static final Duration DEFAULT_RATING_TIMEOUT = Duration.ofSeconds(30);
    static final String ID_PLACEHOLDER = "{id}";

    VultrOptions {
        Objects.requireNonNull(ragPath, "ragPath");
        Objects.requireNonNull(ratingPath, "ratingPath");
        Objects.requireNonNull(ratingTimeout, "ratingTimeout");
    }

    /**
     * Reads the options, applying the defaults above.
     *
     * @throws IllegalArgumentException naming the option when a value is invalid
     */
    static VultrOptions of(Map<String, String> options) {
        String ragPath = options.getOrDefault(RAG_PATH, DEFAULT_RAG_PATH).trim();
        if (ragPath.isEmpty()) {
            throw new IllegalArgumentException("options." + RAG_PATH + " must not be blank");
        }
        String ratingPath = options.getOrDefault(RATING_PATH, DEFAULT_RATING_PATH).trim();
        int first = ratingPath.indexOf(ID_PLACEHOLDER);
        if (first < 0 || ratingPath.indexOf(ID_PLACEHOLDER, first + 1) >= 0) {
            throw new IllegalArgumentException("options." + RATING_PATH + " must contain " + ID_PLACEHOLDER
                    + " exactly once: " + ratingPath);
        }
        Duration ratingTimeout = DEFAULT_RATING_TIMEOUT;
        String timeout = options.get(RATING_TIMEOUT);
        if (timeout != null) {
            ratingTimeout = RetryHints.parseGoDuration(timeout)
                    .filter(d -> !d.isZero() && !d.isNegative())
                    .orElseThrow(() -> new IllegalArgumentException("options." + RATING_TIMEOUT
                            + " must be a positive duration such as 30s: " + timeout));
        }
        return new VultrOptions(ragPath, ratingPath, ratingTimeout,
                bool(options, ALLOW_EXTENDED_PARAMETERS));
    }

    private static boolean bool(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            return false;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("options." + name + " must be true or false: " + value);
        };
    }
}
