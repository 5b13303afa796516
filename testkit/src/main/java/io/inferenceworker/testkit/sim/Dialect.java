package io.inferenceworker.testkit.sim;

import java.util.Optional;

/**
 * The provider dialects the simulator speaks. Each is served under its own path prefix of the one server, so a
 * single {@link ProviderSimulator} serves all of them: {@code http://127.0.0.1:PORT/<pathSegment>}.
 */
public enum Dialect {
    /** Vultr Serverless Inference ({@code /vultr}). */
    VULTR("vultr"),
    /** Elasticsearch inference API, chat_completion task, streaming only ({@code /elastic}). */
    ELASTIC("elastic"),
    /** NVIDIA API catalog / NVCF ({@code /nvidia}). */
    NVIDIA("nvidia"),
    /** nscale serverless inference, vLLM behind it ({@code /nscale}). */
    NSCALE("nscale"),
    /** Generic OpenAI-compatible server: OpenAI, vLLM, Ollama, LiteLLM ({@code /openai}). */
    OPENAI("openai");

    private final String pathSegment;

    Dialect(String pathSegment) {
        this.pathSegment = pathSegment;
    }

    /** The first path segment of this dialect's routes, e.g. {@code "vultr"}. */
    public String pathSegment() {
        return pathSegment;
    }

    static Optional<Dialect> fromPathSegment(String segment) {
        for (Dialect dialect : values()) {
            if (dialect.pathSegment.equals(segment)) {
                return Optional.of(dialect);
            }
        }
        return Optional.empty();
    }
}
