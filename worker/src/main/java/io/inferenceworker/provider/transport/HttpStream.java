package io.inferenceworker.provider.transport;

import io.inferenceworker.provider.ProviderException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An open response whose body is read incrementally: line by line for server-sent events, or whole.
 *
 * <p>The JDK client's request timeout ends when the headers arrive, so a body that stalls would block forever; a
 * watchdog therefore closes the underlying stream at the call's deadline, which wakes a blocked read, and the read
 * then fails with a retryable {@code timeout}. A connection lost mid-body is a retryable {@code stream_error}; a
 * line or body over the limits is a retryable {@code malformed_response} (it is usually a broken proxy, not the
 * request). Lines end at LF, CR or CRLF, as in the SSE specification.
 *
 * <p>Not thread-safe: one reader thread; {@link #close()} may be called from any thread. Always close it.
 */
public final class HttpStream implements AutoCloseable {
    private final ProviderException.Context context;
    private final int status;
    private final HttpHeaders headers;
    private final InputStream raw;
    /** Created on the first {@link #readLine()}: a body read whole needs no character buffers. */
    private BufferedReader reader;
    private final int maxLineChars;
    private final int maxBodyChars;
    private final AtomicBoolean cut = new AtomicBoolean();
    private final ScheduledFuture<?> watchdog;
    private boolean skipLf;

    HttpStream(ProviderException.Context context, int status, HttpHeaders headers, InputStream body,
               ScheduledExecutorService watchdogs, Duration timeLeft, int maxLineChars, int maxBodyChars) {
        this.context = Objects.requireNonNull(context, "context");
        this.status = status;
        this.headers = Objects.requireNonNull(headers, "headers");
        this.raw = Objects.requireNonNull(body, "body");
        this.maxLineChars = maxLineChars;
        this.maxBodyChars = maxBodyChars;
        // Closing the raw stream (not the reader, whose lock a blocked read holds) wakes the reading thread.
        this.watchdog = watchdogs.schedule(this::cut, Math.max(0, timeLeft.toMillis()), TimeUnit.MILLISECONDS);
    }

    public int status() {
        return status;
    }

    public HttpHeaders headers() {
        return headers;
    }

    /** The provider's request ID header, if any. */
    public Optional<String> requestId() {
        return HttpReply.requestIdOf(headers);
    }

    /**
     * The next line without its terminator, or null at the end of the body.
     *
     * @throws ProviderException.Retryable {@code timeout}, {@code stream_error} or {@code malformed_response}
     */
    public String readLine() {
        StringBuilder line = new StringBuilder();
        try {
            while (true) {
                int c = lineReader().read();
                if (c == -1) {
                    failIfCut();
                    return line.isEmpty() ? null : line.toString();
                }
                if (skipLf) {
                    skipLf = false;
                    if (c == '\n') {
                        continue;
                    }
                }
                if (c == '\n') {
                    return line.toString();
                }
                if (c == '\r') {
                    skipLf = true;
                    return line.toString();
                }
                if (line.length() >= maxLineChars) {
                    throw ProviderException.of(context, "malformed_response",
                            "response line longer than " + maxLineChars + " characters").withHttpStatus(status)
                            .withProviderRequestId(requestId().orElse(null)).retryable();
                }
                line.append((char) c);
            }
        } catch (IOException e) {
            throw readFailure(e);
        }
    }

    /**
     * The rest of the body.
     *
     * @throws ProviderException.Retryable {@code malformed_response} when it exceeds the body limit, or as
     *                                     {@link #readLine()}
     */
    public String readBody() {
        String body = readAtMost(maxBodyChars + 1);
        if (body.length() > maxBodyChars) {
            throw ProviderException.of(context, "malformed_response",
                    "response body longer than " + maxBodyChars + " characters").withHttpStatus(status)
                    .withProviderRequestId(requestId().orElse(null)).retryable();
        }
        return body;
    }

    /** At most {@code maxChars} of the rest of the body (enough of an error body to read its message). */
    public String readPrefix(int maxChars) {
        return readAtMost(maxChars);
    }

    private BufferedReader lineReader() {
        if (reader == null) {
            reader = new BufferedReader(new InputStreamReader(raw, StandardCharsets.UTF_8));
        }
        return reader;
    }

    private String readAtMost(int maxChars) {
        if (reader == null) {
            return readBytesAtMost(maxChars);
        }
        StringBuilder body = new StringBuilder();
        char[] buffer = new char[8192];
        try {
            int n;
            while (body.length() < maxChars
                    && (n = reader.read(buffer, 0, Math.min(buffer.length, maxChars - body.length()))) != -1) {
                body.append(buffer, 0, n);
            }
            failIfCut();
            return body.toString();
        } catch (IOException e) {
            throw readFailure(e);
        }
    }

    /**
     * Reads the body as bytes and decodes it once: no reader buffers, which would otherwise be allocated for every
     * non-streamed call. A UTF-16 char takes at most 3 UTF-8 bytes, so {@code 3 * maxChars} bytes hold
     * {@code maxChars} chars.
     */
    private String readBytesAtMost(int maxChars) {
        int maxBytes = (int) Math.min(Integer.MAX_VALUE - 16, 3L * maxChars);
        try {
            byte[] bytes = raw.readNBytes(maxBytes);
            failIfCut();
            String body = new String(bytes, StandardCharsets.UTF_8);
            return body.length() > maxChars ? body.substring(0, maxChars) : body;
        } catch (IOException e) {
            throw readFailure(e);
        }
    }

    private void failIfCut() {
        if (cut.get()) {
            throw ProviderException.of(context, "timeout", "attempt deadline reached while reading the response")
                    .withHttpStatus(status).withProviderRequestId(requestId().orElse(null)).retryable();
        }
    }

    private ProviderException readFailure(IOException e) {
        failIfCut();
        if (Thread.currentThread().isInterrupted()) {
            return ProviderException.of(context, "interrupted", "interrupted while reading the response")
                    .withHttpStatus(status).withProviderRequestId(requestId().orElse(null)).withCause(e).retryable();
        }
        return ProviderException.of(context, "stream_error",
                "connection lost while reading the response: " + e.getClass().getSimpleName()).withHttpStatus(status)
                .withProviderRequestId(requestId().orElse(null)).withCause(e).retryable();
    }

    private void cut() {
        cut.set(true);
        closeRaw();
    }

    private void closeRaw() {
        try {
            raw.close();
        } catch (IOException ignored) {
            // Closing only releases the connection; nothing is lost if that fails.
        }
    }

    /** Releases the connection; idempotent. */
    @Override
    public void close() {
        watchdog.cancel(false);
        closeRaw();
    }
}
