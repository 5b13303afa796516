package io.inferenceworker.provider.nvidia;

import io.inferenceworker.provider.transport.HttpCall;
import io.inferenceworker.provider.transport.HttpReply;
import io.inferenceworker.provider.transport.PendingReplyResolver;
import io.inferenceworker.provider.ProviderException;
import io.inferenceworker.provider.transport.ProviderTransport;
import io.inferenceworker.provider.compat.OpenAiCompatibleClient;
import io.inferenceworker.provider.compat.RetryHints;
import io.inferenceworker.provider.compat.StatusPolicy;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits out NVIDIA Cloud Functions' 202: a hosted function that has not finished answers the chat POST with
 * {@code 202} and an {@code NVCF-REQID} header; the result is then fetched with {@code GET
 * {status-url}/v2/nvcf/pexec/status/{reqId}} (same key), which answers 202 while the function still runs. Any answer
 * other than 202 passes through unchanged.
 *
 * <p>Polling is not a retry: nothing is sent twice. It runs on the calling (virtual) thread, sleeping between polls —
 * first {@link NvidiaOptions#pollInitialInterval()}, doubling up to {@link NvidiaOptions#pollMaxInterval()}; a
 * {@code retry-after} (or {@code retry-after-ms}) on a 202 is honoured instead, but never shorter than the initial
 * interval, so a server cannot make it spin. It stops at the call's deadline.
 *
 * <p>Outcomes: the first non-202 answer is returned for the client to judge (200 is the result; an error status is
 * classified by the dialect's status table), except that an error status of a poll is classified by the polls'
 * table ({@link NvidiaProvider#POLL_STATUSES}: a 404 or 410 is a retryable {@value #RESULT_UNAVAILABLE}). A
 * retryable {@code timeout} when the deadline comes first (or a {@code retry-after} reaches past it); a retryable
 * {@code malformed_response} for a 202 without a usable {@code NVCF-REQID}; transport failures as
 * {@link ProviderTransport} reports them. Only {@code Authorization} and {@code traceparent} are copied from the chat
 * call to the polls. Thread-safe and stateless between calls.
 */
final class NvcfPoller implements PendingReplyResolver {
    static final String REQUEST_ID_HEADER = "NVCF-REQID";
    static final String STATUS_PATH = "/v2/nvcf/pexec/status/";
    static final String RESULT_UNAVAILABLE = "result_unavailable";
    private static final int ACCEPTED = 202;
    /** NVCF request IDs are UUIDs; anything that could change the path is refused. */
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._~-]{0,255}");
    private static final Set<String> FORWARDED_HEADERS = Set.of("authorization", "traceparent");
    private static final Logger LOG = LoggerFactory.getLogger(NvcfPoller.class);

    private final NvidiaOptions options;
    private final ProviderTransport transport;
    private final Clock clock;
    private final RetryHints hints;
    private final OpenAiCompatibleClient classifier;
    private final StatusPolicy pollStatuses;

    /**
     * @param classifier   the client whose {@link OpenAiCompatibleClient#check check} classifies a failed poll
     * @param pollStatuses the polls' status table
     */
    NvcfPoller(NvidiaOptions options, ProviderTransport transport, OpenAiCompatibleClient classifier,
               StatusPolicy pollStatuses) {
        this.options = Objects.requireNonNull(options, "options");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.classifier = Objects.requireNonNull(classifier, "classifier");
        this.pollStatuses = Objects.requireNonNull(pollStatuses, "pollStatuses");
        this.clock = transport.clock();
        this.hints = new RetryHints(clock);
    }

    @Override
    public HttpReply resolve(HttpCall call, HttpReply reply) {
        if (reply.status() != ACCEPTED) {
            return reply;
        }
        String requestId = requestId(call, reply);
        HttpCall poll = new HttpCall(call.context(), URI.create(options.statusBase() + STATUS_PATH + requestId),
                forwardedHeaders(call), new byte[0], call.deadline(), call.connectTimeout());
        Duration interval = options.pollInitialInterval();
        HttpReply current = reply;
        int polls = 0;
        while (current.status() == ACCEPTED) {
            waitBeforePoll(call, requestId, polls, current, interval);
            current = poll(call, poll, requestId, polls);
            polls++;
            interval = min(interval.multipliedBy(2), options.pollMaxInterval());
        }
        LOG.debug("NVCF request {} answered {} after {} status polls ({})", requestId, current.status(), polls,
                call.context());
        return classifier.check(call.context(), withRequestId(current, requestId), pollStatuses);
    }

    /** {@code reply}, naming {@code requestId} when it names no request itself, so that its failure does. */
    private static HttpReply withRequestId(HttpReply reply, String requestId) {
        if (reply.requestId().isPresent()) {
            return reply;
        }
        Map<String, List<String>> headers = new LinkedHashMap<>(reply.headers().map());
        headers.put(REQUEST_ID_HEADER, List.of(requestId));
        return new HttpReply(reply.status(), HttpHeaders.of(headers, (name, value) -> true), reply.body());
    }

    private static String requestId(HttpCall call, HttpReply reply) {
        String id = reply.headers().firstValue(REQUEST_ID_HEADER).map(String::trim).orElse("");
        if (!REQUEST_ID.matcher(id).matches()) {
            throw ProviderException.of(call.context(), "malformed_response",
                    "HTTP 202 without a usable " + REQUEST_ID_HEADER + " header: there is no result to poll for")
                    .withHttpStatus(ACCEPTED).retryable();
        }
        return id;
    }

    private static Map<String, String> forwardedHeaders(HttpCall call) {
        Map<String, String> headers = new LinkedHashMap<>();
        call.headers().forEach((name, value) -> {
            if (FORWARDED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                headers.put(name, value);
            }
        });
        headers.put("Accept", "application/json");
        return headers;
    }

    /**
     * One status poll. When the attempt deadline comes while the poll is under way, the job fails as it does when
     * the deadline comes between polls: still pending, with the request ID to look it up by (not as a bare read
     * timeout, which would hide that NVCF still holds the request).
     */
    private HttpReply poll(HttpCall call, HttpCall poll, String requestId, int polls) {
        try {
            return transport.get(poll);
        } catch (ProviderException e) {
            if ("timeout".equals(e.code()) && !clock.instant().isBefore(call.deadline())) {
                throw stillPending(call, requestId, polls, "when the attempt deadline came during a status poll");
            }
            throw e;
        }
    }

    /** Sleeps until the next poll is due, or throws when the deadline comes first. */
    private void waitBeforePoll(HttpCall call, String requestId, int polls, HttpReply pending, Duration interval) {
        Optional<Duration> hint = hints.retryAfter(pending.headers());
        Duration wait = hint.map(h -> max(h, options.pollInitialInterval())).orElse(interval);
        Duration left = Duration.between(clock.instant(), call.deadline());
        if (!left.isPositive()) {
            throw stillPending(call, requestId, polls, "when the attempt deadline came");
        }
        if (hint.isPresent() && wait.compareTo(left) >= 0) {
            throw stillPending(call, requestId, polls, "and NVCF asks to wait " + wait.toMillis()
                    + " ms, past the attempt deadline");
        }
        try {
            Thread.sleep(min(wait, left));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProviderException.of(call.context(), "interrupted",
                    "interrupted while waiting for NVCF request " + requestId).withHttpStatus(ACCEPTED)
                    .withProviderRequestId(requestId).withCause(e).retryable();
        }
        if (!clock.instant().isBefore(call.deadline())) {
            throw stillPending(call, requestId, polls, "when the attempt deadline came");
        }
    }

    private static ProviderException stillPending(HttpCall call, String requestId, int polls, String why) {
        return ProviderException.of(call.context(), "timeout",
                "NVCF request " + requestId + " still pending after " + polls + " status polls " + why)
                .withHttpStatus(ACCEPTED).withProviderRequestId(requestId).retryable();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
