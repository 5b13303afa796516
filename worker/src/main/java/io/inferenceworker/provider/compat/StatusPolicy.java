package io.inferenceworker.provider.compat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The one place where an HTTP status (and, where a dialect needs it, the error body's {@code type}/{@code code})
 * becomes an action: success, retry, or fail now, with a stable error code.
 *
 * <p>Defaults ({@link #defaults()}), from the provider notes: 200 is success; 408 {@code timeout}, 409
 * {@code conflict}, 425 {@code too_early}, 429 {@code rate_limited} and every 5xx ({@code server_error}) are
 * retryable; 400 {@code bad_request}, 401 {@code unauthorized}, 403 {@code forbidden}, 404 {@code not_found}, 413
 * {@code payload_too_large}, 422 {@code unprocessable} and any other 4xx ({@code client_error}) are terminal, as is
 * any other status ({@code unexpected_status}: 1xx, other 2xx, 3xx — redirects are never followed so that the API key
 * is not sent to another host). Dialects refine it with the {@code with*} methods, e.g. nscale's 429 is a terminal
 * {@code insufficient_credit}.
 *
 * <p>Immutable and thread-safe.
 */
public final class StatusPolicy {

    /** What to do about one status: retry or not, and the error code to report. */
    public record Rule(boolean retryable, String code) {
        public Rule {
            Objects.requireNonNull(code, "code");
        }

        public static Rule retry(String code) {
            return new Rule(true, code);
        }

        public static Rule fail(String code) {
            return new Rule(false, code);
        }
    }

    private static final StatusPolicy DEFAULTS = new StatusPolicy(Set.of(200), Map.ofEntries(
            Map.entry(408, Rule.retry("timeout")),
            Map.entry(409, Rule.retry("conflict")),
            Map.entry(425, Rule.retry("too_early")),
            Map.entry(429, Rule.retry("rate_limited")),
            Map.entry(500, Rule.retry("server_error")),
            Map.entry(502, Rule.retry("server_error")),
            Map.entry(503, Rule.retry("server_error")),
            Map.entry(504, Rule.retry("server_error")),
            Map.entry(400, Rule.fail("bad_request")),
            Map.entry(401, Rule.fail("unauthorized")),
            Map.entry(403, Rule.fail("forbidden")),
            Map.entry(404, Rule.fail("not_found")),
            Map.entry(413, Rule.fail("payload_too_large")),
            Map.entry(422, Rule.fail("unprocessable"))), Map.of());

    private final Set<Integer> success;
    private final Map<Integer, Rule> byStatus;
    /** Keyed by status, then by the lower-cased error type or code of the body. */
    private final Map<Integer, Map<String, Rule>> byBody;

    private StatusPolicy(Set<Integer> success, Map<Integer, Rule> byStatus, Map<Integer, Map<String, Rule>> byBody) {
        this.success = Set.copyOf(success);
        this.byStatus = Map.copyOf(byStatus);
        Map<Integer, Map<String, Rule>> copy = new HashMap<>();
        byBody.forEach((status, rules) -> copy.put(status, Map.copyOf(rules)));
        this.byBody = Map.copyOf(copy);
    }

    /** The defaults described in the class comment. */
    public static StatusPolicy defaults() {
        return DEFAULTS;
    }

    /** This policy, also treating {@code status} as success (nscale answers streams with 201). */
    public StatusPolicy withSuccess(int status) {
        Set<Integer> s = new HashSet<>(success);
        s.add(status);
        Map<Integer, Rule> rules = new HashMap<>(byStatus);
        rules.remove(status);
        return new StatusPolicy(s, rules, byBody);
    }

    /** This policy, with {@code rule} for {@code status} whatever the body says. */
    public StatusPolicy withStatus(int status, Rule rule) {
        Objects.requireNonNull(rule, "rule");
        Map<Integer, Rule> rules = new HashMap<>(byStatus);
        rules.put(status, rule);
        Set<Integer> s = new HashSet<>(success);
        s.remove(status);
        Map<Integer, Map<String, Rule>> body = new HashMap<>(byBody);
        body.remove(status);
        return new StatusPolicy(s, rules, body);
    }

    /**
     * This policy, with {@code rule} for {@code status} when the error body's {@code type} or {@code code} equals
     * {@code errorTypeOrCode} (case-insensitive), e.g. OpenAI's 429 {@code insufficient_quota}.
     */
    public StatusPolicy withBodyRule(int status, String errorTypeOrCode, Rule rule) {
        Objects.requireNonNull(errorTypeOrCode, "errorTypeOrCode");
        Objects.requireNonNull(rule, "rule");
        Map<Integer, Map<String, Rule>> body = new HashMap<>(byBody);
        Map<String, Rule> forStatus = new HashMap<>(body.getOrDefault(status, Map.of()));
        forStatus.put(errorTypeOrCode.toLowerCase(Locale.ROOT), rule);
        body.put(status, forStatus);
        return new StatusPolicy(success, byStatus, body);
    }

    /** Whether {@code status} carries a usable answer. */
    public boolean isSuccess(int status) {
        return success.contains(status);
    }

    /** The rule for a non-success status, without looking at the body. */
    public Rule classify(int status) {
        return classify(status, Optional.empty());
    }

    /**
     * The rule for a non-success status.
     *
     * @param error the parsed error body, if any; its type and code select a body rule when one is configured
     */
    public Rule classify(int status, Optional<ProviderError> error) {
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
            return Rule.retry("server_error");
        }
        if (status >= 400 && status <= 499) {
            return Rule.fail("client_error");
        }
        return Rule.fail("unexpected_status");
    }
}
