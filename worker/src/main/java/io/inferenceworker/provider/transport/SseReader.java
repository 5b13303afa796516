package io.inferenceworker.provider.transport;

import java.util.Objects;
import java.util.Optional;

/**
 * Reads server-sent events from lines, as the WHATWG EventSource specification says: {@code field: value} lines,
 * a blank line dispatches the event, {@code data} lines of one event join with {@code \n}, lines starting with
 * {@code :} are comments, {@code id} and {@code retry} are ignored (nothing reconnects). Hardened for the providers:
 * a U+FEFF at the start of ANY line is dropped (Elasticsearch writes one before every event, not just at the start
 * of the stream), and an event still pending at the end of the body is dispatched rather than lost, because some
 * servers omit the final blank line after {@code [DONE]}.
 *
 * <p>Why not a library: the worker calls providers with the JDK {@link java.net.http.HttpClient}; Micronaut's SSE
 * support needs its Netty/reactive client, and the dedicated SSE clients (okhttp-eventsource, ...) bring their own
 * HTTP stack. Parsing events from lines is small and fully specified, so it is done here and tested against all
 * the framings the providers use (LF, CRLF, CR, BOM, comments, multi-line data). Line splitting and its limits live
 * in {@link HttpStream#readLine()}.
 *
 * <p>Not thread-safe.
 */
public final class SseReader {
    private static final char BOM = '\uFEFF';

    /** A source of lines without terminators; null at the end. */
    @FunctionalInterface
    public interface LineSource {
        String nextLine();
    }

    private final LineSource lines;
    private final int maxEventChars;
    private boolean ended;

    /**
     * @param lines         where lines come from
     * @param maxEventChars the largest {@code data} of one event
     */
    public SseReader(LineSource lines, int maxEventChars) {
        this.lines = Objects.requireNonNull(lines, "lines");
        this.maxEventChars = maxEventChars;
    }

    /**
     * The next event, or empty at the end of the stream.
     *
     * @throws IllegalStateException when one event's data exceeds the limit
     */
    public Optional<SseEvent> next() {
        if (ended) {
            return Optional.empty();
        }
        String type = null;
        StringBuilder data = null;
        while (true) {
            String line = lines.nextLine();
            if (line == null) {
                ended = true;
                return data == null ? Optional.empty() : Optional.of(event(type, data));
            }
            if (!line.isEmpty() && line.charAt(0) == BOM) {
                line = line.substring(1);
            }
            if (line.isEmpty()) {
                if (data != null) {
                    return Optional.of(event(type, data));
                }
                type = null;
                continue;
            }
            if (line.charAt(0) == ':') {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "event" -> type = value;
                case "data" -> {
                    if (data == null) {
                        data = new StringBuilder();
                    } else {
                        data.append('\n');
                    }
                    if (data.length() + value.length() > maxEventChars) {
                        throw new IllegalStateException("server-sent event larger than " + maxEventChars
                                + " characters");
                    }
                    data.append(value);
                }
                default -> {
                    // id, retry and unknown fields: nothing to do for a one-shot stream.
                }
            }
        }
    }

    private static SseEvent event(String type, StringBuilder data) {
        return new SseEvent(type == null || type.isEmpty() ? SseEvent.DEFAULT_TYPE : type, data.toString());
    }
}
