package io.inferenceworker.demo;

import io.inferenceworker.testkit.sim.Dialect;
import java.util.Locale;
import java.util.Optional;

/**
 * The five provider dialects of the demo, one worker provider instance each, named like its type. On the simulator
 * by default; with {@code DEMO_REAL_PROVIDERS=true} an instance whose API key is in the environment calls the real
 * service instead.
 */
enum DemoProvider {
    VULTR(Dialect.VULTR, "https://api.vultrinference.com", "kimi-k2-instruct"),
    /** Elasticsearch has no public endpoint: real mode also needs {@code ELASTIC_URL} and {@code ELASTIC_MODEL}. */
    ELASTIC(Dialect.ELASTIC, null, null),
    NVIDIA(Dialect.NVIDIA, "https://integrate.api.nvidia.com", "moonshotai/kimi-k2.6"),
    NSCALE(Dialect.NSCALE, "https://inference.api.nscale.com", "meta-llama/Llama-3.1-8B-Instruct"),
    OPENAI(Dialect.OPENAI, "https://api.openai.com", "gpt-4o-mini");

    /** Model (for Elasticsearch: the inference ID) the simulated instances default to. */
    static final String SIMULATED_ELASTIC_INFERENCE_ID = "demo-chat-completion";

    private final Dialect dialect;
    private final String realBaseUrl;
    private final String realModel;

    DemoProvider(Dialect dialect, String realBaseUrl, String realModel) {
        this.dialect = dialect;
        this.realBaseUrl = realBaseUrl;
        this.realModel = realModel;
    }

    /** The instance name and provider type: {@code vultr}, {@code elastic}, ... */
    String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    Dialect dialect() {
        return dialect;
    }

    /** {@code VULTR_API_KEY}, ... */
    String keyVariable() {
        return name() + "_API_KEY";
    }

    /** {@code VULTR_MODEL}, ...: overrides the default model. */
    String modelVariable() {
        return name() + "_MODEL";
    }

    /** {@code ELASTIC_URL}: where this provider has no public endpoint, the variable holding the user's own. */
    String urlVariable() {
        return name() + "_URL";
    }

    Optional<String> realBaseUrl() {
        return Optional.ofNullable(realBaseUrl);
    }

    Optional<String> realModel() {
        return Optional.ofNullable(realModel);
    }

    /** The model the simulated instance defaults to: the real default, so the demo looks like the real thing. */
    String simulatedModel() {
        return this == ELASTIC ? SIMULATED_ELASTIC_INFERENCE_ID : realModel;
    }

    /** {@code Vultr}, {@code Elasticsearch}, ...: for people. */
    String title() {
        return switch (this) {
            case VULTR -> "Vultr";
            case ELASTIC -> "Elasticsearch";
            case NVIDIA -> "NVIDIA";
            case NSCALE -> "nscale";
            case OPENAI -> "OpenAI-compatible";
        };
    }
}
