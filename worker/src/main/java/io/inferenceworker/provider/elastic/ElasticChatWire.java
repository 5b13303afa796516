package io.inferenceworker.provider.elastic;

import io.inferenceworker.provider.ChatCall;
import io.inferenceworker.provider.compat.ChatWire;
import io.inferenceworker.provider.compat.OpenAiJson.ChatRequest;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The Elasticsearch inference API's variant of the OpenAI exchange:
 * <ul>
 *   <li>{@code Authorization: ApiKey <key>}, the key as configured (the base64 of {@code id:api_key}, as
 *       Elasticsearch's create-API-key answer gives it in {@code encoded}); a key configured with its scheme
 *       ({@code ApiKey …}, {@code Bearer …}, {@code Basic …}) is sent verbatim, as the API document does;</li>
 *   <li>{@code _stream} always streams, so every call reads events and the body has no {@code stream} or
 *       {@code stream_options} (Elasticsearch's strict parser would reject them);</li>
 *   <li>the body's {@code max_tokens} is sent as {@code max_completion_tokens}, and its {@code model} is the
 *       {@linkplain ElasticOptions#serviceModel() service model} or absent — the job's model is the inference ID,
 *       which goes in the path;</li>
 *   <li>{@code X-Opaque-Id: <job ID>} on every call, so Elasticsearch's logs, tasks and slow logs name the job
 *       (characters HTTP does not allow in a header become {@code _}).</li>
 * </ul>
 * How errors are classified, the codes of stream error events included, is {@link ElasticProvider#STATUSES}.
 * Unsupported request fields are never dropped here: {@link ElasticRequestRules} rejects them first, and anything
 * that slipped through would reach Elasticsearch and be refused with a 400. Immutable and thread-safe.
 */
final class ElasticChatWire implements ChatWire {
    private static final int MAX_OPAQUE_ID_CHARS = 256;
    /** A key that already starts with an HTTP authentication scheme Elasticsearch accepts. */
    private static final Pattern SCHEME = Pattern.compile("(?i)(ApiKey|Bearer|Basic) +\\S");

    private final String serviceModel;

    /** @param serviceModel the body's {@code model}, or null to leave the endpoint's model */
    ElasticChatWire(String serviceModel) {
        this.serviceModel = serviceModel;
    }

    /**
     * The document sends {@code Authorization: $API_KEY} verbatim: a key configured with its scheme
     * ({@code ApiKey …}, {@code Bearer …}, {@code Basic …}, any case) is sent as is; a bare key gets
     * {@code ApiKey }.
     */
    @Override
    public String authorization(String apiKey) {
        return SCHEME.matcher(apiKey).lookingAt() ? apiKey : "ApiKey " + apiKey;
    }

    @Override
    public boolean alwaysStreams() {
        return true;
    }

    @Override
    public ChatRequest body(ChatRequest mapped) {
        return mapped.withMaxTokensAsMaxCompletionTokens().withModel(serviceModel);
    }

    @Override
    public Map<String, String> headers(ChatCall call) {
        return Map.of("X-Opaque-Id", opaqueId(call.jobId()));
    }

    /** The job ID as a header value: visible ASCII and spaces only, bounded. */
    static String opaqueId(String jobId) {
        StringBuilder id = new StringBuilder(Math.min(jobId.length(), MAX_OPAQUE_ID_CHARS));
        for (int i = 0; i < jobId.length() && id.length() < MAX_OPAQUE_ID_CHARS; i++) {
            char c = jobId.charAt(i);
            id.append(c >= 0x20 && c < 0x7f ? c : '_');
        }
        String value = id.toString().strip();
        return value.isEmpty() ? "_" : value;
    }
}
