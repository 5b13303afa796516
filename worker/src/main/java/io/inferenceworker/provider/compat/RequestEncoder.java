package io.inferenceworker.provider.compat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inferenceworker.provider.ChatCall;
import io.inferenceworker.provider.InvalidRequestException;
import io.inferenceworker.provider.ProviderException;
import io.inferenceworker.provider.ProviderSettings;
import io.inferenceworker.provider.compat.OpenAiJson.ChatRequest;
import io.inferenceworker.provider.transport.HttpCall;
import io.inferenceworker.schemas.CompletionRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The request side of the OpenAI-compatible exchange: where a call goes ({@code {base-url}{path}}), its headers
 * ({@code Content-Type}, {@code Accept}, the key in the {@linkplain ChatWire#authorization wire's scheme}, the wire's
 * extra headers) and its body (the request as {@link OpenAiRequestMapper} maps it, made streaming when the call
 * streams, then {@linkplain ChatWire#body shaped by the wire}), ready for the transport. Immutable and thread-safe.
 */
final class RequestEncoder {

    /** One encoded chat attempt: what to send, whether to read it as a stream, and the model it names. */
    record Encoded(HttpCall http, boolean streaming, String model) {
    }

    private final ProviderSettings settings;
    private final ChatWire wire;
    private final ObjectMapper json;
    private final OpenAiRequestMapper requests;
    /** The base URL without trailing slashes. */
    private final String base;

    RequestEncoder(ProviderSettings settings, ChatWire wire, ObjectMapper json) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.wire = Objects.requireNonNull(wire, "wire");
        this.json = Objects.requireNonNull(json, "json");
        this.requests = new OpenAiRequestMapper(json);
        String url = Objects.requireNonNull(settings.getBaseUrl(), "base-url").toString();
        int end = url.length();
        while (end > 0 && url.charAt(end - 1) == '/') {
            end--;
        }
        this.base = url.substring(0, end);
    }

    /**
     * {@code {base-url}{path}}, slashes between them normalised.
     *
     * @throws IllegalArgumentException when they do not form a valid URI
     */
    URI uri(String path) {
        String p = path.trim();
        return URI.create(base + (p.startsWith("/") ? p : "/" + p));
    }

    /**
     * Maps {@code request} as it would be sent, to check it.
     *
     * @throws InvalidRequestException naming the parameter and the provider
     */
    void check(CompletionRequest request) {
        requests.map(request, settings.getDefaultModel(), settings.getName());
    }

    /**
     * One chat attempt to {@code target}, {@code extraFields} written into the body beside the chat fields.
     *
     * @throws ProviderException.Terminal {@code invalid_request} when the request cannot be mapped or written
     */
    Encoded chat(ChatCall call, ProviderException.Context context, URI target, Map<String, String> extraFields) {
        ChatRequest body;
        try {
            body = requests.map(call.request(), settings.getDefaultModel(), settings.getName());
        } catch (InvalidRequestException e) {
            throw ProviderException.of(context, "invalid_request", e.getMessage()).withCause(e).terminal();
        }
        String model = body.model();
        boolean streaming = wire.alwaysStreams() || (call.request().getStream() && call.sink().isPresent());
        if (streaming && !wire.alwaysStreams()) {
            body = body.withStreaming();
        }
        Map<String, String> headers = headers(streaming);
        headers.putAll(wire.headers(call));
        HttpCall http = new HttpCall(context, target, headers,
                write(context, wire.body(body), extraFields), call.deadline(), settings.getConnectTimeout())
                .withTraceparent(call.traceparent());
        return new Encoded(http, streaming, model);
    }

    /** A JSON POST of {@code jsonBody} to a side route (e.g. a rating), with this dialect's headers. */
    HttpCall post(ProviderException.Context context, URI target, String jsonBody, Instant deadline) {
        return new HttpCall(context, target, headers(false),
                jsonBody.getBytes(StandardCharsets.UTF_8), deadline, settings.getConnectTimeout());
    }

    private Map<String, String> headers(boolean streaming) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Accept", streaming ? "text/event-stream" : "application/json");
        String key = settings.getApiKey();
        if (key != null && !key.isBlank()) {
            headers.put("Authorization", wire.authorization(key.trim()));
        }
        return headers;
    }

    private byte[] write(ProviderException.Context context, ChatRequest body, Map<String, String> extraFields) {
        try {
            if (!extraFields.isEmpty()) {
                ObjectNode tree = json.valueToTree(body);
                extraFields.forEach(tree::put);
                return json.writeValueAsBytes(tree);
            }
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw ProviderException.of(context, "invalid_request", "request could not be written as JSON")
                    .withCause(e).terminal();
        }
    }
}
