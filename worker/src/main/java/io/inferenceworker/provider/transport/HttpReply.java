package io.inferenceworker.provider.transport;

import java.net.http.HttpHeaders;
import java.util.Objects;
import java.util.Optional;

/**
 * A provider's complete, non-streamed answer.
 *
 * @param status  the HTTP status
 * @param headers the response headers (case-insensitive lookup)
 * @param body    the body as UTF-8 text
 */
public record HttpReply(int status, HttpHeaders headers, String body) {
    public HttpReply {
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
    }

    /**
     * The provider's request ID ({@code x-request-id}, else {@code request-id}, else NVIDIA's {@code NVCF-REQID}, else
     * Elastic Cloud's {@code X-Cloud-Request-Id}, else the {@code X-Opaque-Id} Elasticsearch echoes), for support
     * tickets.
     */
    public Optional<String> requestId() {
        return requestIdOf(headers);
    }

    /** The request ID in {@code headers}, looked up as {@link #requestId()} says. */
    public static Optional<String> requestIdOf(HttpHeaders headers) {
        return headers.firstValue("x-request-id").or(() -> headers.firstValue("request-id"))
                .or(() -> headers.firstValue("nvcf-reqid")).or(() -> headers.firstValue("x-cloud-request-id"))
                .or(() -> headers.firstValue("x-opaque-id"));
    }
}
