package io.inferenceworker.testkit.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the simulator does with one chat-completion request. Immutable and thread-safe; build one with a static
 * factory, refine it with the {@code with*} methods (each returns a new instance), and hand sequences of them to
 * {@link ProviderSimulator#onModel(String, Behaviour...)}.
 *
 * <h2>Kinds</h2>
 * <ul>
 *   <li>{@link #ok()} — the deterministic default answer (see {@link ProviderSimulator}); {@link #ok(String)} with a
 *       given content; {@link #okWithReasoning(String, String)} also returns {@code reasoning_content} (not for
 *       ELASTIC, whose chunks have no such field: there only the usage's {@code reasoning_tokens} reflects it);
 *       {@link #toolCall(String, String)} calls that function with those arguments (unless the request's
 *       {@code tool_choice} is {@code "none"}), whether or not the request declared {@code tools}.</li>
 *   <li>{@link #status(int)} — that HTTP status with the dialect's error body (ELASTIC: 401 and 403 as the classic
 *       Elasticsearch {@code security_exception} JSON, any other status as an {@code event: error} before the
 *       stream; NVIDIA: problem details, 429 as the bare {@code {"status":429,"title":"Too Many Requests"}}).</li>
 *   <li>{@link #rateLimited(Duration)} — 429 with {@code retry-after} (whole seconds, rounded up) and
 *       {@code retry-after-ms}; OPENAI also sets {@code x-ratelimit-remaining-requests: 0} and
 *       {@code x-ratelimit-reset-requests|tokens} to the duration in Go notation ({@code 1s}, {@code 6m0s},
 *       {@code 20ms}). For an HTTP-date {@code retry-after} use {@code status(429).withHeader("retry-after", date)}.</li>
 *   <li>{@link #insufficientCredit()} — nscale's 429 "insufficient credit" (a vLLM error body whose message says
 *       so, type {@code insufficient_credit}, no retry headers); OPENAI answers OpenAI's
 *       {@code insufficient_quota} 429; the other dialects their 429 error body with an insufficient-credit
 *       message.</li>
 *   <li>{@link #hang()} — never answers: the request is held until the simulator closes or its hang limit
 *       (default 5 minutes) passes, then the connection is dropped without a response.</li>
 *   <li>{@link #connectionReset()} — the connection is closed without any response bytes.</li>
 *   <li>{@link #malformedJson()} — status 200 (nscale streams 201) with a body that is not valid JSON; streams send
 *       one good chunk, then a broken {@code data:} line, then the normal end.</li>
 *   <li>{@link #midStreamError()} — streams the first half of the answer, then the dialect's stream error in place
 *       of the end ({@code data: {"error":…}}, or {@code event: error} for ELASTIC and with
 *       {@link #withErrorEvent()}). A non-streaming request gets a 500 with the dialect's error body.</li>
 *   <li>{@link #errorBeforeStream(int)} — ELASTIC: that status with an {@code event: error} body (even 401/403);
 *       the other dialects treat it as {@link #status(int)}.</li>
 *   <li>{@link #accepted202(int)} — NVIDIA, non-streaming: 202 with an {@code NVCF-REQID} header and no body; the
 *       next {@code polls} status polls ({@code GET {nvidia}/v2/nvcf/pexec/status/{reqId}}) answer 202 again, the
 *       one after answers 200 with the result; {@link #withLatency} delays the 202 and every status poll. Streams,
 *       and the other dialects, answer as {@link #ok()}.</li>
 * </ul>
 *
 * <h2>Options (any kind)</h2>
 * {@link #withHeader(String, String)} adds a response header; {@link #withLatency(Duration)} delays the answer
 * (added to the simulator's own latency; {@link #latency(Duration)} is {@code ok().withLatency(d)});
 * {@link #withChunkDelay(Duration)} paces stream events; {@link #withVllmErrorShape(VllmErrorShape)} picks the
 * nscale/OPENAI error-body shape for every error this request gets, validation errors included;
 * {@link #withErrorEvent()} frames stream errors as {@code event: error} for the OpenAI-style dialects.
 */
public final class Behaviour {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The kinds of behaviour; the factories above document each. */
    enum Kind {
        OK, STATUS, RATE_LIMITED, INSUFFICIENT_CREDIT, HANG, CONNECTION_RESET, MALFORMED_JSON,
        MID_STREAM_ERROR, ERROR_BEFORE_STREAM, ACCEPTED_202
    }

    /** Overrides of the default answer; {@code null} components mean "default". */
    record Reply(String content, String reasoning, String toolName, String toolArguments) {
        static final Reply DEFAULT = new Reply(null, null, null, null);
    }

    /** Options that apply to every kind. */
    record Options(Duration latency, Duration chunkDelay, Map<String, String> headers,
                   VllmErrorShape errorShape, boolean errorEvent) {
        static final Options DEFAULT = new Options(Duration.ZERO, Duration.ZERO, Map.of(), VllmErrorShape.NESTED, false);
    }

    private static final Behaviour OK = new Behaviour(Kind.OK, Reply.DEFAULT, 0, Duration.ZERO, Options.DEFAULT);

    private final Kind kind;
    private final Reply reply;
    private final int code;
    private final Duration retryAfter;
    private final Options options;

    private Behaviour(Kind kind, Reply reply, int code, Duration retryAfter, Options options) {
        this.kind = kind;
        this.reply = reply;
        this.code = code;
        this.retryAfter = retryAfter;
        this.options = options;
    }

    private static Behaviour of(Kind kind, int code) {
        return new Behaviour(kind, Reply.DEFAULT, code, Duration.ZERO, Options.DEFAULT);
    }

    /** The deterministic default answer. */
    public static Behaviour ok() {
        return OK;
    }

    /** A successful answer whose content is exactly {@code content}. */
    public static Behaviour ok(String content) {
        return new Behaviour(Kind.OK, new Reply(Objects.requireNonNull(content, "content"), null, null, null),
                0, Duration.ZERO, Options.DEFAULT);
    }

    /** A successful answer with this content and this {@code reasoning_content}. */
    public static Behaviour okWithReasoning(String content, String reasoning) {
        return new Behaviour(Kind.OK, new Reply(Objects.requireNonNull(content, "content"),
                Objects.requireNonNull(reasoning, "reasoning"), null, null), 0, Duration.ZERO, Options.DEFAULT);
    }

    /**
     * A tool call of function {@code name} with {@code argumentsJson} as its arguments string.
     *
     * @throws IllegalArgumentException if {@code argumentsJson} is not valid JSON
     */
    public static Behaviour toolCall(String name, String argumentsJson) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(argumentsJson, "argumentsJson");
        try {
            JSON.readTree(argumentsJson);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("tool-call arguments are not valid JSON: " + argumentsJson, e);
        }
        return new Behaviour(Kind.OK, new Reply(null, null, name, argumentsJson), 0, Duration.ZERO, Options.DEFAULT);
    }

    /**
     * This HTTP status with the dialect's error body.
     *
     * @throws IllegalArgumentException unless {@code 400 <= status <= 599}
     */
    public static Behaviour status(int status) {
        return of(Kind.STATUS, requireErrorStatus(status));
    }

    /** A 429 carrying retry hints for {@code retryAfter} (see the class comment). */
    public static Behaviour rateLimited(Duration retryAfter) {
        if (Objects.requireNonNull(retryAfter, "retryAfter").isNegative()) {
            throw new IllegalArgumentException("retryAfter must not be negative: " + retryAfter);
        }
        return new Behaviour(Kind.RATE_LIMITED, Reply.DEFAULT, 429, retryAfter, Options.DEFAULT);
    }

    /** nscale's 429 "insufficient credit" (retrying does not help). */
    public static Behaviour insufficientCredit() {
        return of(Kind.INSUFFICIENT_CREDIT, 429);
    }

    /** Never answers; released when the simulator closes or its hang limit passes. */
    public static Behaviour hang() {
        return of(Kind.HANG, 0);
    }

    /** Closes the connection without sending any response. */
    public static Behaviour connectionReset() {
        return of(Kind.CONNECTION_RESET, 0);
    }

    /** A success status with a body that is not valid JSON. */
    public static Behaviour malformedJson() {
        return of(Kind.MALFORMED_JSON, 200);
    }

    /** {@code ok().withLatency(latency)}. */
    public static Behaviour latency(Duration latency) {
        return OK.withLatency(latency);
    }

    /** Streams part of the answer, then the dialect's stream error. */
    public static Behaviour midStreamError() {
        return of(Kind.MID_STREAM_ERROR, 500);
    }

    /**
     * ELASTIC: this status with an {@code event: error} body; other dialects: as {@link #status(int)}.
     *
     * @throws IllegalArgumentException unless {@code 400 <= status <= 599}
     */
    public static Behaviour errorBeforeStream(int status) {
        return of(Kind.ERROR_BEFORE_STREAM, requireErrorStatus(status));
    }

    /**
     * NVIDIA: 202 + {@code NVCF-REQID}, then {@code polls} more 202 polls before the 200 result.
     *
     * @throws IllegalArgumentException if {@code polls} is negative
     */
    public static Behaviour accepted202(int polls) {
        if (polls < 0) {
            throw new IllegalArgumentException("polls must not be negative: " + polls);
        }
        return of(Kind.ACCEPTED_202, polls);
    }

    /** This behaviour, plus the response header {@code name: value} (replacing one of the same name). */
    public Behaviour withHeader(String name, String value) {
        Map<String, String> headers = new LinkedHashMap<>(options.headers());
        headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return withOptions(new Options(options.latency(), options.chunkDelay(), Map.copyOf(headers),
                options.errorShape(), options.errorEvent()));
    }

    /** This behaviour, answered {@code latency} later (on top of the simulator's latency). */
    public Behaviour withLatency(Duration latency) {
        return withOptions(new Options(requireNonNegative(latency, "latency"), options.chunkDelay(),
                options.headers(), options.errorShape(), options.errorEvent()));
    }

    /** This behaviour, with {@code delay} between stream events (default none). */
    public Behaviour withChunkDelay(Duration delay) {
        return withOptions(new Options(options.latency(), requireNonNegative(delay, "delay"), options.headers(),
                options.errorShape(), options.errorEvent()));
    }

    /** This behaviour, with nscale/OPENAI error bodies in {@code shape} (default {@link VllmErrorShape#NESTED}). */
    public Behaviour withVllmErrorShape(VllmErrorShape shape) {
        return withOptions(new Options(options.latency(), options.chunkDelay(), options.headers(),
                Objects.requireNonNull(shape, "shape"), options.errorEvent()));
    }

    /** This behaviour, with OpenAI-style stream errors framed as {@code event: error} + {@code data:}. */
    public Behaviour withErrorEvent() {
        return withOptions(new Options(options.latency(), options.chunkDelay(), options.headers(),
                options.errorShape(), true));
    }

    Kind kind() {
        return kind;
    }

    Reply reply() {
        return reply;
    }

    /** The status for STATUS / ERROR_BEFORE_STREAM / RATE_LIMITED / INSUFFICIENT_CREDIT; the polls for ACCEPTED_202. */
    int code() {
        return code;
    }

    Duration retryAfter() {
        return retryAfter;
    }

    Options options() {
        return options;
    }

    private Behaviour withOptions(Options newOptions) {
        return new Behaviour(kind, reply, code, retryAfter, newOptions);
    }

    private static int requireErrorStatus(int status) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("an error status must be 400..599: " + status);
        }
        return status;
    }

    private static Duration requireNonNegative(Duration duration, String what) {
        if (Objects.requireNonNull(duration, what).isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative: " + duration);
        }
        return duration;
    }

    @Override
    public String toString() {
        return "Behaviour[" + kind + (code != 0 ? " " + code : "")
                + (reply.equals(Reply.DEFAULT) ? "" : " " + reply)
                + (options.equals(Options.DEFAULT) ? "" : " " + options) + "]";
    }
}
