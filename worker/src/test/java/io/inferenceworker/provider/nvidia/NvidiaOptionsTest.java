package io.inferenceworker.provider.nvidia;

import static io.inferenceworker.provider.ChatFixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inferenceworker.provider.ProviderConfigurationException;
import io.inferenceworker.provider.registry.ProviderRegistry;
import io.inferenceworker.provider.ProviderSettings;
import io.inferenceworker.provider.transport.ProviderTransport;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code options.*} of {@code type: nvidia} instances, and their checks at start-up. */
class NvidiaOptionsTest {

    private static ProviderSettings nvidia(String baseUrl, Map<String, String> options) {
        ProviderSettings settings = settings("nv", "nvidia", baseUrl);
        settings.setOptions(options);
        return settings;
    }

    @Test
    void defaults() {
        NvidiaOptions options = NvidiaOptions.of(nvidia("https://integrate.api.nvidia.com", Map.of()));
        assertThat(options.statusBase()).isEqualTo(URI.create("https://api.nvcf.nvidia.com"));
        assertThat(options.pollInitialInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(options.pollMaxInterval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void configuredValues() {
        NvidiaOptions options = NvidiaOptions.of(nvidia("https://integrate.api.nvidia.com", Map.of(
                "status-url", "https://nvcf.example.com/prefix/", "poll-initial-interval", "250ms",
                "poll-max-interval", "5s")));
        assertThat(options.statusBase()).isEqualTo(URI.create("https://nvcf.example.com/prefix"));
        assertThat(options.pollInitialInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(options.pollMaxInterval()).isEqualTo(Duration.ofSeconds(5));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://nvcf.example.com", "nvcf.example.com", "https://user:pw@nvcf.example.com",
            "https://nvcf.example.com?key=1", "https://nvcf.example.com#x", "https://nvcf example.com"})
    void badStatusUrlsAreRefused(String url) {
        assertThatThrownBy(() -> NvidiaOptions.of(nvidia("https://integrate.api.nvidia.com",
                Map.of("status-url", url))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("options.status-url must be an absolute https:// URL");
    }

    @Test
    void plainHttpStatusUrlNeedsTheFlagOrTheVettedHttpBaseHost() {
        assertThatThrownBy(() -> NvidiaOptions.of(nvidia("https://integrate.api.nvidia.com",
                Map.of("status-url", "http://nvcf.example.com"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the API key would cross the network unencrypted");
        assertThatThrownBy(() -> NvidiaOptions.of(nvidia("https://localhost:8443",
                Map.of("status-url", "http://localhost:8080"))))
                .as("https base, http status URL").isInstanceOf(IllegalArgumentException.class);

        assertThat(NvidiaOptions.of(nvidia("http://127.0.0.1:8089/nvidia",
                Map.of("status-url", "http://127.0.0.1:8089/nvidia"))).statusBase().getHost()).isEqualTo("127.0.0.1");
        ProviderSettings flagged = nvidia("https://integrate.api.nvidia.com",
                Map.of("status-url", "http://nvcf.internal:8080"));
        flagged.setAllowInsecureHttp(true);
        assertThat(NvidiaOptions.of(flagged).statusBase()).isEqualTo(URI.create("http://nvcf.internal:8080"));
    }

    @Test
    void badPollIntervalsAreRefused() {
        for (Map<String, String> bad : List.of(Map.of("poll-initial-interval", "0s"),
                Map.of("poll-initial-interval", "fast"), Map.of("poll-max-interval", "-1s"),
                Map.of("poll-max-interval", "2m"),
                Map.of("poll-initial-interval", "2s", "poll-max-interval", "1s"))) {
            assertThatThrownBy(() -> NvidiaOptions.of(nvidia("https://integrate.api.nvidia.com", bad)))
                    .as(bad.toString())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("options.poll-");
        }
    }

    @Test
    void registryBuildsNvidiaInstancesAndReportsBadOptionsWithTheInstanceName() {
        try (ProviderTransport transport = new ProviderTransport(Clock.systemUTC())) {
            ProviderRegistry registry = new ProviderRegistry(List.of(nvidia("https://integrate.api.nvidia.com",
                    Map.of())), List.of(new NvidiaProviderFactory(transport)), transport.clock());
            assertThat(registry.find("nv")).hasValueSatisfying(i -> assertThat(i.provider().name()).isEqualTo("nv"));

            assertThatThrownBy(() -> new ProviderRegistry(List.of(nvidia("https://integrate.api.nvidia.com",
                    Map.of("status-url", "http://nvcf.example.com"))), List.of(new NvidiaProviderFactory(transport)),
                    transport.clock()))
                    .isInstanceOfSatisfying(ProviderConfigurationException.class, e -> assertThat(e.problems())
                            .singleElement().asString().startsWith("providers.nv: options.status-url uses http://"));
        }
    }
}
