package io.inferenceworker.provider.guard;

import io.inferenceworker.schemas.CompletionRequest;
import io.inferenceworker.schemas.ContentPart;
import io.inferenceworker.schemas.Message;
import io.inferenceworker.schemas.Tool;
import io.inferenceworker.schemas.ToolCall;
import io.inferenceworker.schemas.Usage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The tokens-per-minute limit of one instance (and of one tenant, {@code tenancy}): a Resilience4j rate limiter ({@link PacedLimiter}) whose permits are
 * tokens, refilled every second with {@code tokens-per-minute / 60} (any remainder is dropped, so the limit errs low).
 * Refilling per second rather than per minute keeps the pace even, as providers that quantise their limits require,
 * and never lets two minutes' budgets meet at a window boundary.
 *
 * <p><b>Estimate</b> before the call ({@link #estimate(CompletionRequest)}): prompt tokens are the UTF-8 bytes of the
 * message texts, tool-call arguments and tool definitions divided by {@value #BYTES_PER_TOKEN} (images are not
 * counted), plus completion tokens: {@code max_tokens}, or the instance's {@code default-completion-tokens}, per
 * choice ({@code n}). An estimate above one minute's budget is charged as one minute's budget, so such a request
 * still runs (after up to a minute) rather than never.
 *
 * <p><b>Reconciliation</b> after the call ({@link #reconcile(long, Usage)}), against the provider's reported
 * {@code total_tokens} (or prompt + completion): usage above the estimate is charged at once as a reservation, which
 * pushes later callers back by exactly that many tokens. If that would reach beyond the reservation horizon, the
 * current second's remaining budget is drained instead and the rest of the excess is forgiven. Usage below the
 * estimate is <em>not</em> refunded: Resilience4j 2.2.0 has no way to return permits, so the unused estimate stays
 * spent (for at most the horizon). Without reported usage the estimate stands.
 *
 * <p>Thread-safe.
 */
public final class TokenBudget {
    static final int BYTES_PER_TOKEN = 4;
    private static final Duration REFILL_PERIOD = Duration.ofSeconds(1);

    private final PacedLimiter limiter;
    private final int tokensPerMinute;
    private final int defaultCompletionTokens;

    /**
     * @param horizon the furthest ahead tokens may be reserved
     */
    public TokenBudget(String name, Protections.Rates rates, Duration horizon) {
        this.tokensPerMinute = rates.tokensPerMinute();
        this.defaultCompletionTokens = rates.defaultCompletionTokens();
        this.limiter = new PacedLimiter(name + "-tokens", Math.max(1, tokensPerMinute / 60), REFILL_PERIOD, horizon);
    }

    /** The tokens {@code request} is charged before its call, between 1 and one minute's budget. */
    public long estimate(CompletionRequest request) {
        long prompt = (promptBytes(request) + BYTES_PER_TOKEN - 1) / BYTES_PER_TOKEN;
        long perChoice = request.getMaxTokens() != null ? request.getMaxTokens() : defaultCompletionTokens;
        long choices = request.getN() == null ? 1 : Math.max(1, request.getN());
        return Math.max(1, Math.min(tokensPerMinute, prompt + perChoice * choices));
    }

    /**
     * Reserves {@code tokens}.
     *
     * @return nanoseconds until they are due (0: now), or -1 when that is beyond the horizon (nothing reserved)
     */
    public long reserve(long tokens) {
        return limiter.reserve((int) tokens);
    }

    /** Nanoseconds until a reservation of one token would be due: a lower bound of any wait. */
    public long nanosToWait() {
        return limiter.nanosToWait();
    }

    /**
     * Charges usage above the estimate (see the class comment).
     *
     * @param charged the estimate charged before the call
     * @param usage   the provider's reported usage, or null
     * @return the tokens charged now
     */
    public long reconcile(long charged, Usage usage) {
        if (usage == null) {
            return 0;
        }
        long reported = usage.getTotalTokens() > 0 ? usage.getTotalTokens()
                : (long) usage.getPromptTokens() + usage.getCompletionTokens();
        long excess = Math.min(reported - charged, tokensPerMinute);
        if (excess <= 0) {
            return 0;
        }
        if (limiter.reserve((int) excess) < 0) {
            limiter.drain();
        }
        return excess;
    }

    private static long promptBytes(CompletionRequest request) {
        long bytes = 0;
        for (Message m : request.getMessages()) {
            Object content = m.getContent();
            if (content instanceof CharSequence text) {
                bytes += utf8(text);
            } else if (content instanceof List<?> parts) {
                for (Object part : parts) {
                    if (part instanceof ContentPart p && p.getText() != null) {
                        bytes += utf8(p.getText());
                    }
                }
            }
            if (m.getToolCalls() != null) {
                for (ToolCall call : m.getToolCalls()) {
                    bytes += utf8(call.getName()) + utf8(call.getArguments());
                }
            }
        }
        if (request.getTools() != null) {
            for (Tool tool : request.getTools()) {
                bytes += utf8(tool.getName()) + utf8(tool.getDescription()) + utf8(tool.getParameters());
            }
        }
        return bytes;
    }

    private static long utf8(Object text) {
        return text == null ? 0 : text.toString().getBytes(StandardCharsets.UTF_8).length;
    }
}
