package io.inferenceworker.demo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How the demo runs, from the environment. Defaults: every provider on the simulator.
 * <ul>
 *   <li>{@code DEMO_REAL_PROVIDERS=true}: providers whose key is set ({@code VULTR_API_KEY}, {@code ELASTIC_API_KEY},
 *       {@code NVIDIA_API_KEY}, {@code NSCALE_API_KEY}, {@code OPENAI_API_KEY}) call the real service, with the
 *       model from {@code <PROVIDER>_MODEL} or a default (Elasticsearch: {@code ELASTIC_URL} and
 *       {@code ELASTIC_MODEL}, the inference ID, are required).</li>
 *   <li>{@code DEMO_PROVIDERS=vultr,openai}: only these instances (default: all five).</li>
 *   <li>{@code DEMO_HTTP_PORT}: the worker's health/metrics port (default: a free one).</li>
 * </ul>
 * Keys are held only to be handed to the worker's configuration; {@link #toString()} never shows them. Immutable.
 *
 * @param providers  the instances to configure, each with its endpoint
 * @param httpPort   the worker's HTTP port, -1 for a free one
 * @param unusedKeys the API key variables that are set but not used, because {@code DEMO_REAL_PROVIDERS} is not
 *                   {@code true} (the demo says how to use them)
 */
record DemoSettings(Map<DemoProvider, Endpoint> providers, int httpPort, List<String> unusedKeys) {

    /** Where one instance points. {@code apiKey} and {@code baseUrl} are null on the simulator. */
    record Endpoint(String baseUrl, String apiKey, String model) {
        boolean real() {
            return baseUrl != null;
        }

        @Override
        public String toString() {
            return real() ? baseUrl + " (model " + model + ", key set)" : "simulator (model " + model + ")";
        }
    }

    DemoSettings {
        providers = Map.copyOf(providers);
        unusedKeys = List.copyOf(unusedKeys);
    }

    /**
     * @throws IllegalArgumentException for an unknown name in {@code DEMO_PROVIDERS}, a bad {@code DEMO_HTTP_PORT},
     *                                  or a real Elasticsearch without its URL or inference ID
     */
    static DemoSettings fromEnvironment(Map<String, String> env) {
        boolean real = Boolean.parseBoolean(env.getOrDefault("DEMO_REAL_PROVIDERS", "false").trim());
        Map<DemoProvider, Endpoint> providers = new EnumMap<>(DemoProvider.class);
        List<String> unusedKeys = new ArrayList<>();
        for (DemoProvider provider : selected(env.get("DEMO_PROVIDERS"))) {
            Optional<String> key = value(env, provider.keyVariable());
            providers.put(provider, real && key.isPresent() ? realEndpoint(provider, key.get(), env)
                    : new Endpoint(null, null, provider.simulatedModel()));
            if (!real && key.isPresent()) {
                unusedKeys.add(provider.keyVariable());
            }
        }
        int port = value(env, "DEMO_HTTP_PORT").map(DemoSettings::port).orElse(-1);
        return new DemoSettings(providers, port, unusedKeys);
    }

    /** The configured instances in the order of {@link DemoProvider}. */
    List<DemoProvider> instances() {
        return Arrays.stream(DemoProvider.values()).filter(providers::containsKey).toList();
    }

    Endpoint endpoint(DemoProvider provider) {
        return Objects.requireNonNull(providers.get(provider), provider.id());
    }

    private static Endpoint realEndpoint(DemoProvider provider, String key, Map<String, String> env) {
        String baseUrl = provider.realBaseUrl().or(() -> value(env, provider.urlVariable())).orElseThrow(() ->
                new IllegalArgumentException(provider.keyVariable() + " is set but " + provider.urlVariable()
                        + " is not: the " + provider.title() + " instance needs the URL of your cluster"));
        String model = value(env, provider.modelVariable()).or(provider::realModel).orElseThrow(() ->
                new IllegalArgumentException(provider.keyVariable() + " is set but " + provider.modelVariable()
                        + " is not: name the " + provider.title() + " model (for Elasticsearch, the inference ID)"));
        return new Endpoint(baseUrl, key, model);
    }

    private static List<DemoProvider> selected(String names) {
        if (names == null || names.isBlank()) {
            return List.of(DemoProvider.values());
        }
        List<DemoProvider> selected = new ArrayList<>();
        for (String name : names.split(",")) {
            String wanted = name.trim().toUpperCase(Locale.ROOT);
            selected.add(Arrays.stream(DemoProvider.values()).filter(p -> p.name().equals(wanted)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("DEMO_PROVIDERS: unknown provider '" + name.trim()
                            + "', expected some of "
                            + Arrays.stream(DemoProvider.values()).map(DemoProvider::id).toList())));
        }
        return selected;
    }

    private static int port(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("DEMO_HTTP_PORT must be a port number, was '" + text + "'", e);
        }
    }

    private static Optional<String> value(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}
