package io.inferenceworker.demo;

import io.inferenceworker.testkit.DevStack;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The worker's configuration for the demo: the dev stack's Kafka and registry, the default topics, one provider
 * instance per {@link DemoProvider} (named like its type) on the simulator or, in real mode, the real service, and a
 * route {@value #ROUTE} over those instances. Every
 * other setting keeps the worker's defaults from its {@code application.yml}. Stateless.
 */
final class WorkerConfig {
    static final String GROUP_ID = "inference-worker-demo";
    /** The demo's route over its instances. */
    static final String ROUTE = "chat";

    private WorkerConfig() {
    }

    /**
     * @param votesStateDir the votes component's Kafka Streams state: fresh for every run, because the stack's
     *                      Kafka is new every run and state checkpointed against an earlier one is corrupt for it
     */
    static Map<String, Object> properties(DevStack stack, DemoSettings settings, Path votesStateDir) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("kafka.bootstrap-servers", stack.kafka().bootstrapServers());
        p.put("kafka.group-id", GROUP_ID);
        p.put("schema-registry.url", stack.registry().url());
        p.put("worker.id", "demo-worker");
        p.put("worker.shutdown-grace", "5s");
        p.put("votes.state-dir", votesStateDir.toString());
        p.put("micronaut.server.port", settings.httpPort());
        for (DemoProvider provider : settings.instances()) {
            DemoSettings.Endpoint endpoint = settings.endpoint(provider);
            String prefix = "providers." + provider.id() + ".";
            p.put(prefix + "type", provider.id());
            p.put(prefix + "default-model", endpoint.model());
            if (endpoint.real()) {
                p.put(prefix + "base-url", endpoint.baseUrl());
                p.put(prefix + "api-key", endpoint.apiKey());
            } else {
                p.put(prefix + "base-url", stack.simulator().baseUrl(provider.dialect()));
                simulatorOptions(provider, stack).forEach((key, value) -> p.put(prefix + "options." + key, value));
            }
        }
        // A route over every instance, in order: `send -p chat` falls back from one to the next (README "Routes").
        int hop = 0;
        for (DemoProvider provider : settings.instances()) {
            p.put("routes." + ROUTE + ".hops[" + hop++ + "].provider", provider.id());
        }
        return p;
    }

    /** Dialect options that must point at the simulator too: NVIDIA's 202 polling service (its default is NVIDIA's). */
    private static Map<String, String> simulatorOptions(DemoProvider provider, DevStack stack) {
        if (provider == DemoProvider.NVIDIA) {
            return Map.of("status-url", stack.simulator().baseUrl(provider.dialect()));
        }
        return Map.of();
    }
}
