package io.inferenceworker.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoSettingsTest {

    @Test
    void withoutSettingsEveryDialectIsSimulated() {
        DemoSettings settings = DemoSettings.fromEnvironment(Map.of());
        assertThat(settings.instances()).containsExactly(DemoProvider.values());
        assertThat(settings.instances()).allSatisfy(p -> assertThat(settings.endpoint(p).real()).isFalse());
        assertThat(settings.httpPort()).isEqualTo(-1);
        assertThat(settings.unusedKeys()).isEmpty();
    }

    @Test
    void keysAreUsedOnlyWhenRealProvidersAreAskedFor() {
        Map<String, String> env = Map.of("VULTR_API_KEY", "vultr-secret-key", "NSCALE_API_KEY", "nscale-secret");
        DemoSettings simulated = DemoSettings.fromEnvironment(env);
        assertThat(simulated.endpoint(DemoProvider.VULTR).real()).isFalse();
        assertThat(simulated.unusedKeys()).containsExactly("VULTR_API_KEY", "NSCALE_API_KEY");

        DemoSettings real = DemoSettings.fromEnvironment(Map.of("VULTR_API_KEY", "vultr-secret-key",
                "VULTR_MODEL", "llama-3.3-70b", "DEMO_REAL_PROVIDERS", "true"));
        DemoSettings.Endpoint vultr = real.endpoint(DemoProvider.VULTR);
        assertThat(vultr.real()).isTrue();
        assertThat(vultr.baseUrl()).isEqualTo("https://api.vultrinference.com");
        assertThat(vultr.model()).isEqualTo("llama-3.3-70b");
        assertThat(real.endpoint(DemoProvider.NVIDIA).real()).isFalse(); // no key: stays on the simulator
        assertThat(real.unusedKeys()).isEmpty();
        assertThat(real.toString()).doesNotContain("vultr-secret-key");
    }

    @Test
    void aRealElasticsearchNeedsItsUrlAndInferenceId() {
        assertThatThrownBy(() -> DemoSettings.fromEnvironment(Map.of("DEMO_REAL_PROVIDERS", "true",
                "ELASTIC_API_KEY", "es-secret")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ELASTIC_URL")
                .hasMessageNotContaining("es-secret");
    }

    @Test
    void providersAndPortCanBeChosen() {
        DemoSettings settings = DemoSettings.fromEnvironment(Map.of("DEMO_PROVIDERS", " openai, Vultr",
                "DEMO_HTTP_PORT", "18080"));
        assertThat(settings.instances()).containsExactly(DemoProvider.VULTR, DemoProvider.OPENAI);
        assertThat(settings.httpPort()).isEqualTo(18080);
        assertThatThrownBy(() -> DemoSettings.fromEnvironment(Map.of("DEMO_PROVIDERS", "vulture")))
                .hasMessageContaining("unknown provider 'vulture'");
        assertThatThrownBy(() -> DemoSettings.fromEnvironment(Map.of("DEMO_HTTP_PORT", "eighty")))
                .hasMessageContaining("DEMO_HTTP_PORT");
    }
}
