package io.inferenceworker.provider.compat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * A dialect's status table: the one place where an HTTP status (with, where a dialect needs it, the error body's
 * {@code type}/{@code code}, or the code of an error inside a stream) becomes a {@link Rule}: success, or retry or
 * fail now, with a stable error code and whether the failure counts as an outage for the circuit breaker. Each
 * dialect declares one table, {@link #defaults()} plus its overrides; {@code ErrorClassifier} turns a rule into the
 * {@code ProviderException}.
 *
 * <p>Defaults, from the provider notes: 200 is success; outages, retryable ({@link Rule#down}): 408 {@code timeout}
 * and every 5xx ({@code server_error}); retryable but not outages, the provider is up and busy ({@link Rule#busy}):
 * 409 {@code conflict}, 425 {@code too_early}, 429 {@code rate_limited}; terminal ({@link Rule#fail}): 400
 * {@code bad_request}, 401 {@code unauthorized}, 403 {@code forbidden}, 404 {@code not_found}, 413
 * {@code payload_too_large}, 422 {@code unprocessable}, any other 4xx {@code client_error}, and any other status
 * {@code unexpected_status} (1xx, other 2xx, 3xx: redirects are never followed so that the API key is not sent to
 * another host). An error inside a stream whose {@code code} is a number from 100 to 599 is classified as that status
 * ({@link #withStreamCode}, {@link #withStreamCodeRange} change that).
 *
 * <p>Immutable and thread-safe; every {@code with*} returns a changed copy.
 */
public final class StatusPolicy {

    /**
     * What to do about one failure: retry or not, the error code to report, and whether it shows the provider to be
     * down (what the breaker counts; never for a terminal failure).
     */
    public record Rule(boolean retryable, String code, boolean outage) {
        public Rule {
            Objects.requireNonNull(code, "code");
            if (outage && !retryable) {
                throw new IllegalArgumentException("a terminal failure is never an outage: " + code);
            }
        }

        /** Retryable, and an outage: the provider is failing (5xx, 408, broken answers). */
        public static Rule down(String code) {
            return new Rule(true, code, true);
        }

        /** Retryable, but not an outage: the provider is up and asks to come back later (409, 425, 429). */
        public static Rule busy(String code) {
            return new Rule(true, code, false);
        }

        /** Terminal: trying again will not help. */
        public static Rule fail(String code) {
            return new Rule(false, code, false);
        }
    }

    /**
     * The shared override for OpenAI's exhausted quota: a 429 whose error type or code is {@code insufficient_quota}
     * is a terminal {@code insufficient_credit} (waiting does not refill a quota). Use with {@link #with}.
     */
    public static final UnaryOperator<StatusPolicy> INSUFFICIENT_QUOTA =
            table -> table.withBodyRule(429, "insufficient_quota", Rule.fail("insufficient_credit"));

    private static final Rule SERVER_ERROR = Rule.down("server_error");
    private static final Rule CLIENT_ERROR = Rule.fail("client_error");
    private static final Rule UNEXPECTED_STATUS = Rule.fail("unexpected_status");
    /** An in-stream error code that is itself a status number. */
    private static final Pattern STATUS_CODE = Pattern.compile("[1-5]\\d\\d");

    private static final StatusPolicy DEFAULTS = new StatusPolicy(Set.of(200), Map.ofEntries(
            Map.entry(408, Rule.down("timeout")),
            Map.entry(409, Rule.busy("conflict")),
            Map.entry(425, Rule.busy("too_early")),
            Map.entry(429, Rule.busy("rate_limited")),
            Map.entry(400, Rule.fail("bad_request")),
            Map.entry(401, Rule.fail("unauthorized")),
            Map.entry(403, Rule.fail("forbidden")),
            Map.entry(404, Rule.fail("not_found")),
            Map.entry(413, Rule.fail("payload_too_large")),
            Map.entry(422, Rule.fail("unprocessable"))), Map.of(), Map.of(), 100, 599);

    private final Set<Integer> success;
    private final Map<Integer, Rule> byStatus;
    /** Keyed by status, then by the lower-cased error type or code of the body. */
    private final Map<Integer, Map<String, Rule>> byBody;
    /** In-stream error codes (lower case) and the status each stands for. */
    private final Map<String, Integer> streamCodes;
    private final int lowestStreamStatus;
    private final int highestStreamStatus;

    private StatusPolicy(Set<Integer> success, Map<Integer, Rule> byStatus, Map<Integer, Map<String, Rule>> byBody,
                         Map<String, Integer> streamCodes, int lowestStreamStatus, int highestStreamStatus) {
        this.success = Set.copyOf(success);
        this.byStatus = Map.copyOf(byStatus);
        Map<Integer, Map<String, Rule>> copy = new HashMap<>();
        byBody.forEach((status, rules) -> copy.put(status, Map.copyOf(rules)));
        this.byBody = Map.copyOf(copy);
        this.streamCodes = Map.copyOf(streamCodes);
        this.lowestStreamStatus = lowestStreamStatus;
        this.highestStreamStatus = highestStreamStatus;
    }

    /** The defaults described in the class comment. */
    public static StatusPolicy defaults() {
        return DEFAULTS;
    }

    /** This table with a named override applied, e.g. {@code defaults().with(INSUFFICIENT_QUOTA)}. */
    public StatusPolicy with(UnaryOperator<StatusPolicy> override) {
        return Objects.requireNonNull(override.apply(this), "override result");
    }

    /** This table, also treating {@code status} as success (nscale answers streams with 201). */
    public StatusPolicy withSuccess(int status) {
        Set<Integer> s = new HashSet<>(success);
        s.add(status);
        Map<Integer, Rule> rules = new HashMap<>(byStatus);
        rules.remove(status);
        return new StatusPolicy(s, rules, byBody, streamCodes, lowestStreamStatus, highestStreamStatus);
    }

    /** This table, with {@code rule} for {@code status} whatever the body says. */
    public StatusPolicy withStatus(int status, Rule rule) {
        Map<Integer, Rule> rules = new HashMap<>(byStatus);
        rules.put(status, Objects.requireNonNull(rule, "rule"));
        Set<Integer> s = new HashSet<>(success);
        s.remove(status);
        Map<Integer, Map<String, Rule>> body = new HashMap<>(byBody);
        body.remove(status);
        return new StatusPolicy(s, rules, body, streamCodes, lowestStreamStatus, highestStreamStatus);
    }

    /**
     * This table, with {@code rule} for {@code status} when the error body's {@code type} or {@code code} equals
     * {@code errorTypeOrCode} (case-insensitive), e.g. {@link #INSUFFICIENT_QUOTA}.
     */
    public StatusPolicy withBodyRule(int status, String errorTypeOrCode, Rule rule) {
        Objects.requireNonNull(rule, "rule");
        Map<Integer, Map<String, Rule>> body = new HashMap<>(byBody);
        Map<String, Rule> forStatus = new HashMap<>(body.getOrDefault(status, Map.of()));
        forStatus.put(lower(errorTypeOrCode), rule);
        body.put(status, forStatus);
        return new StatusPolicy(success, byStatus, body, streamCodes, lowestStreamStatus, highestStreamStatus);
    }

    /**
     * This table, reading an error event whose {@code code} is {@code code} (case-insensitive) as status
     * {@code status}, e.g. Elasticsearch's {@code too_many_requests} as 429.
     */
    public StatusPolicy withStreamCode(String code, int status) {
        Map<String, Integer> codes = new HashMap<>(streamCodes);
        codes.put(lower(code), status);
        return new StatusPolicy(success, byStatus, byBody, codes, lowestStreamStatus, highestStreamStatus);
    }

    /**
     * This table, classifying an error event by its code only when the status it stands for lies in
     * {@code [lowest, highest]}; any other leaves it a retryable {@code stream_error}. Default 100 to 599.
     */
    public StatusPolicy withStreamCodeRange(int lowest, int highest) {
        if (lowest > highest) {
            throw new IllegalArgumentException("empty range " + lowest + ".." + highest);
        }
        return new StatusPolicy(success, byStatus, byBody, streamCodes, lowest, highest);
    }

    /** Whether {@code status} carries a usable answer. */
    public boolean isSuccess(int status) {
        return success.contains(status);
    }

    /** The rule for a non-success status, without looking at the body. */
    public Rule classify(int status) {
        return classify(status, Optional.empty());
    }

    /** The rule for a non-success status; the error body's type or code selects a body rule when one is set. */
    Rule classify(int status, Optional<ProviderError> error) {
        Map<String, Rule> bodyRules = byBody.get(status);
        if (bodyRules != null && error.isPresent()) {
            for (String key : new String[] {error.get().type(), error.get().code()}) {
                Rule rule = key == null ? null : bodyRules.get(key.toLowerCase(Locale.ROOT));
                if (rule != null) {
                    return rule;
                }
            }
        }
        Rule rule = byStatus.get(status);
        if (rule != null) {
            return rule;
        }
        if (status >= 500 && status <= 599) {
            return SERVER_ERROR;
        }
        return status >= 400 && status <= 499 ? CLIENT_ERROR : UNEXPECTED_STATUS;
    }

    /** The failure status an in-stream error {@code code} stands for, if this table classifies it by its code. */
    Optional<Integer> streamStatus(String code) {
        if (code == null) {
            return Optional.empty();
        }
        String c = lower(code);
        Integer status = streamCodes.get(c);
        if (status == null && STATUS_CODE.matcher(c).matches()) {
            status = Integer.valueOf(c);
        }
        return Optional.ofNullable(status)
                .filter(s -> s >= lowestStreamStatus && s <= highestStreamStatus && !isSuccess(s));
    }

    private static String lower(String text) {
        return Objects.requireNonNull(text, "code").trim().toLowerCase(Locale.ROOT);
    }
}
