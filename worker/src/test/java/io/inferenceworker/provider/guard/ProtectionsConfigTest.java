package io.inferenceworker.provider.guard;

import static io.inferenceworker.provider.ChatFixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inferenceworker.provider.RetryConfig;
import io.inferenceworker.provider.ProviderConfigurationException;
import io.inferenceworker.provider.registry.ProviderInstance;
import io.inferenceworker.provider.registry.ProviderRegistry;
import io.inferenceworker.provider.ProviderSettings;
import io.inferenceworker.provider.transport.ProviderTransport;
import io.inferenceworker.provider.openai.OpenAiProviderFactory;
import io.micronaut.context.ApplicationContext;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The protection settings: defaults, binding from configuration, validation at start-up. */
class ProtectionsConfigTest {

    @Test
    void defaultsAreDocumentedValuesAndDeriveTheWaitsFromTheRetryPolicy() {
        Protections p = Protections.of(settings("d", "openai", "https://api.example.com"), RetryConfig.DEFAULTS);

        assertThat(p.maxConcurrency()).isEqualTo(ProviderSettings.DEFAULT_MAX_CONCURRENCY);
        assertThat(p.rates()).isEqualTo(Protections.Rates.UNLIMITED);
        assertThat(p.breaker()).isEqualTo(Protections.Breaker.DEFAULTS);
        assertThat(p.breaker()).isEqualTo(new Protections.Breaker(true, 50, 50, 10, 3, Duration.ofSeconds(10)));
        // min(500 ms, 120 s / 10), and the retry window
        assertThat(p.inlineWait()).isEqualTo(Duration.ofMillis(500));
        assertThat(p.horizon()).isEqualTo(RetryConfig.DEFAULT_WINDOW);
        assertThat(Protections.of(settings("d", "openai", "https://api.example.com"),
                RetryConfig.DEFAULTS.withAttemptTimeout(Duration.ofSeconds(2))).inlineWait())
                .isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void everyProtectionSettingBindsFromConfiguration() {
        Map<String, Object> properties = Map.ofEntries(
                Map.entry("worker.enabled", "false"),
                Map.entry("providers.main.type", "openai"),
                Map.entry("providers.main.base-url", "http://127.0.0.1:9"),
                Map.entry("providers.main.max-concurrency", "8"),
                Map.entry("providers.main.rate-limit.requests-per-minute", "120"),
                Map.entry("providers.main.rate-limit.tokens-per-minute", "90000"),
                Map.entry("providers.main.rate-limit.default-completion-tokens", "256"),
                Map.entry("providers.main.circuit-breaker.enabled", "true"),
                Map.entry("providers.main.circuit-breaker.failure-rate-threshold", "40"),
                Map.entry("providers.main.circuit-breaker.sliding-window-size", "20"),
                Map.entry("providers.main.circuit-breaker.minimum-calls", "5"),
                Map.entry("providers.main.circuit-breaker.half-open-calls", "2"),
                Map.entry("providers.main.circuit-breaker.open-duration", "30s"),
                Map.entry("providers.main.retry.attempt-timeout", "1s"),
                Map.entry("providers.main.retry.window", "2m"));
        try (ApplicationContext context = ApplicationContext.run(properties)) {
            ProviderInstance main = context.getBean(ProviderRegistry.class).find("main").orElseThrow();

            assertThat(main.guard().name()).isEqualTo("main");
            assertThat(main.guard().protections()).isEqualTo(new Protections(8,
                    new Protections.Rates(120, 90_000, 256),
                    new Protections.Breaker(true, 40, 20, 5, 2, Duration.ofSeconds(30)),
                    Duration.ofMillis(100), Duration.ofMinutes(2)));
        }
    }

    @Test
    void invalidProtectionSettingsFailTheStartWithTheirNames() {
        ProviderSettings tokens = settings("tokens", "openai", "https://api.example.com");
        tokens.getRateLimit().setTokensPerMinute(30);
        ProviderSettings breaker = settings("breaker", "openai", "https://api.example.com");
        breaker.getCircuitBreaker().setFailureRateThreshold(0);
        ProviderSettings requests = settings("requests", "openai", "https://api.example.com");
        requests.getRateLimit().setRequestsPerMinute(-1);
        ProviderTransport transport = new ProviderTransport(Clock.systemUTC());
        try {
            assertThatThrownBy(() -> new ProviderRegistry(List.of(tokens, breaker, requests),
                    List.of(new OpenAiProviderFactory(transport)), transport.clock()))
                    .isInstanceOfSatisfying(ProviderConfigurationException.class, e -> assertThat(e.getMessage())
                            .contains("providers.tokens.rate-limit.tokens-per-minute must be 0 (unlimited) or >= 60",
                                    "providers.breaker.circuit-breaker.failure-rate-threshold must be 1..100",
                                    "providers.requests.rate-limit.requests-per-minute must be >= 0"));
        } finally {
            transport.close();
        }
    }
}
