package io.inferenceworker.provider.nvidia;

import static io.inferenceworker.provider.ChatFixtures.settings;

import io.inferenceworker.provider.ProviderSettings;
import io.inferenceworker.provider.SimulatorWorld;
import io.inferenceworker.testkit.sim.Dialect;
import io.inferenceworker.testkit.sim.ProviderSimulator;
import io.inferenceworker.testkit.sim.RecordedRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Settings and helpers shared by the NVIDIA adapter tests. */
final class NvidiaFixtures {
    static final String API_KEY = "nvapi-test-secret-0123456789";

    private NvidiaFixtures() {
    }

    /** A simulator whose NVIDIA dialect requires {@link #API_KEY}, with a transport. */
    static SimulatorWorld world() {
        return SimulatorWorld.of(ProviderSimulator.builder().withApiKey(Dialect.NVIDIA, API_KEY));
    }

    /** Instance {@code nv} at the simulator, polling it, with {@code options} on top. */
    static ProviderSettings nvidiaSettings(ProviderSimulator simulator, Map<String, String> options) {
        ProviderSettings settings = settings("nv", "nvidia", simulator.baseUrl(Dialect.NVIDIA));
        settings.setApiKey(API_KEY);
        Map<String, String> all = new LinkedHashMap<>(options);
        all.putIfAbsent(NvidiaOptions.STATUS_URL, simulator.baseUrl(Dialect.NVIDIA));
        settings.setOptions(all);
        return settings;
    }

    /** The status polls the simulator received for NVCF request {@code requestId}, oldest first. */
    static List<RecordedRequest> pollsOf(ProviderSimulator simulator, String requestId) {
        return simulator.requests().stream()
                .filter(r -> r.method().equals("GET") && r.path().endsWith(NvcfPoller.STATUS_PATH + requestId))
                .toList();
    }
}
