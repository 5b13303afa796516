package io.inferenceworker.provider.nvidia;

import io.inferenceworker.provider.ChatCall;
import io.inferenceworker.provider.compat.ChatWire;
import io.inferenceworker.provider.compat.OpenAiJson.ChatRequest;
import java.util.List;
import java.util.Map;

/**
 * The NVIDIA API catalog's variant of the OpenAI exchange, as its chat-completion reference states it:
 * <ul>
 *   <li>{@code content} is required on every message, so a message without one (an assistant turn that only made
 *       tool calls) is sent with {@code "content": ""} rather than without the member;</li>
 *   <li>the request's {@code asset_ids} (assets uploaded with the NVCF Asset API, for images over 180 KB) go in the
 *       {@value #ASSET_REFERENCES} header, comma-separated.</li>
 * </ul>
 * Otherwise OpenAI's: Bearer key, streams only when the job does. Immutable and thread-safe.
 */
final class NvidiaChatWire implements ChatWire {
    static final String ASSET_REFERENCES = "NVCF-INPUT-ASSET-REFERENCES";

    @Override
    public boolean carriesAssetIds() {
        return true;
    }

    @Override
    public ChatRequest body(ChatRequest mapped) {
        return mapped.withContentOnEveryMessage();
    }

    @Override
    public Map<String, String> headers(ChatCall call) {
        List<String> assets = assetIds(call);
        return assets.isEmpty() ? Map.of() : Map.of(ASSET_REFERENCES, String.join(",", assets));
    }

    private static List<String> assetIds(ChatCall call) {
        List<String> ids = call.request().getAssetIds();
        return ids == null ? List.of() : ids.stream().map(String::trim).toList();
    }
}
