package io.inferenceworker.testkit.sim;

/**
 * The two error-body shapes vLLM-based servers (nscale, and the generic OpenAI-compatible dialect) have used.
 * Chosen per {@link Behaviour} with {@link Behaviour#withVllmErrorShape(VllmErrorShape)}; the default is
 * {@link #NESTED}.
 */
public enum VllmErrorShape {
    /** Newer vLLM and OpenAI: {@code {"error": {"message", "type", "param", "code"}}}. */
    NESTED,
    /** Older vLLM: {@code {"object": "error", "message", "type", "param", "code"}}. */
    FLAT
}
