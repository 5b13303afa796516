package io.inferenceworker.provider.toy;

import java.util.Map;

/** The toy dialect's options: {@code options.top-k} (default {@code false}), whether the provider takes top_k. */
record ToyOptions(boolean topK) {
    static ToyOptions of(Map<String, String> options) {
        String topK = options.getOrDefault("top-k", "false").trim();
        if (!topK.equals("true") && !topK.equals("false")) {
            throw new IllegalArgumentException("options.top-k must be true or false");
        }
        return new ToyOptions(Boolean.parseBoolean(topK));
    }
}
