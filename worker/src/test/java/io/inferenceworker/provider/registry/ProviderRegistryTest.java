package io.inferenceworker.provider.registry;

import static io.inferenceworker.provider.ChatFixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inferenceworker.provider.ProviderConfigurationException;
import io.inferenceworker.provider.ProviderFactory;
import io.inferenceworker.provider.ProviderSettings;
import io.inferenceworker.provider.transport.ProviderTransport;
import io.inferenceworker.provider.RetryConfig;
import io.inferenceworker.provider.nscale.NscaleProviderFactory;
import io.inferenceworker.provider.openai.OpenAiProviderFactory;
import io.inferenceworker.schemas.Usage;
import io.micronaut.context.ApplicationContext;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProviderRegistryTest {
    private static final ProviderTransport TRANSPORT = new ProviderTransport(Clock.systemUTC());
    private static final List<ProviderFactory> FACTORIES =
            List.of(new OpenAiProviderFactory(TRANSPORT), new NscaleProviderFactory(TRANSPORT));

    @AfterAll
    static void stop() {
        TRANSPORT.close();
    }

    private static ProviderRegistry registry(ProviderSettings... settings) {
        return new ProviderRegistry(List.of(settings), FACTORIES, TRANSPORT.clock());
    }

    private static void assertRejected(ProviderSettings settings, String... messageParts) {
        assertThatThrownBy(() -> registry(settings))
                .isInstanceOfSatisfying(ProviderConfigurationException.class, e -> {
                    for (String part : messageParts) {
                        assertThat(e.getMessage()).contains(part);
                    }
                });
    }

    @Test
    void buildsOneInstancePerConfiguredProvider() {
        ProviderRegistry registry = registry(settings("a", "openai", "https://api.example.com"),
                settings("b", "NSCALE", "https://inference.api.nscale.com"));
        assertThat(registry.all()).extracting(ProviderInstance::name).containsExactlyInAnyOrder("a", "b");
        ProviderInstance b = registry.find("b").orElseThrow();
        assertThat(b.provider().name()).isEqualTo("b");
        assertThat(b.retry()).isEqualTo(RetryConfig.DEFAULTS);
        assertThat(b.prices().estimate("m", new Usage(1, 1, 2, null, null, null))).isEmpty();
        assertThat(registry.find("c")).isEmpty();
        assertThat(registry.find(null)).isEmpty();
    }

    @Test
    void noProvidersIsValid() {
        assertThat(registry().all()).isEmpty();
    }

    @Test
    void unknownTypeNamesTheKnownOnes() {
        assertRejected(settings("x", "gemini", "https://g.example.com"),
                "providers.x.type 'gemini' is unknown; known types: nscale, openai");
        assertRejected(settings("x", null, "https://g.example.com"), "providers.x.type is required");
    }

    @Test
    void baseUrlIsRequiredAndMustBeHttp() {
        assertRejected(settings("x", "openai", null), "providers.x.base-url is required");
        assertRejected(settings("x", "openai", "ftp://files.example.com"), "providers.x.base-url must be an absolute");
        assertRejected(settings("x", "openai", "https://user:pw@api.example.com"), "must not carry credentials");
        assertRejected(settings("x", "openai", "https://api.example.com/?key=abc"), "must not have a query");
    }

    @Test
    void plainHttpToANonLoopbackHostNeedsExplicitConsent() {
        assertRejected(settings("x", "openai", "http://10.0.0.5:8000"),
                "providers.x.base-url uses http:// to non-loopback host 10.0.0.5",
                "providers.x.allow-insecure-http: true");
        assertRejected(settings("x", "openai", "http://api.example.com"), "non-loopback host api.example.com");
        ProviderSettings allowed = settings("x", "openai", "http://10.0.0.5:8000");
        allowed.setAllowInsecureHttp(true);
        assertThat(registry(allowed).find("x")).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost:8000", "http://127.0.0.1:1", "http://127.1.2.3", "http://[::1]:8080"})
    void plainHttpToLoopbackIsFine(String url) {
        assertThat(registry(settings("x", "openai", url)).find("x")).isPresent();
    }

    @Test
    void everyProblemIsListedAtOnceWithoutTheKey() {
        ProviderSettings bad = settings("one", "nope", null);
        bad.setApiKey("sk-SECRET\u0000-123");
        ProviderSettings retry = settings("two", "openai", "https://api.example.com");
        retry.getRetry().setMaxAttempts(0);
        assertThatThrownBy(() -> registry(bad, retry))
                .isInstanceOfSatisfying(ProviderConfigurationException.class, e -> {
                    assertThat(e.problems()).hasSize(4);
                    assertThat(e.getMessage()).contains("providers.one.type", "providers.one.base-url",
                            "providers.one.api-key", "providers.two.retry: retry max-attempts must be >= 1");
                    assertThat(e.getMessage()).doesNotContain("SECRET");
                });
    }

    @Test
    void bindsProvidersFromConfiguration() {
        Map<String, Object> properties = Map.ofEntries(
                Map.entry("worker.enabled", "false"),
                Map.entry("providers.main.type", "openai"),
                Map.entry("providers.main.base-url", "http://127.0.0.1:9"),
                Map.entry("providers.main.api-key", "sk-bound"),
                Map.entry("providers.main.default-model", "gpt-4o-mini"),
                Map.entry("providers.main.connect-timeout", "3s"),
                Map.entry("providers.main.options.chat-path", "/chat"),
                Map.entry("providers.main.retry.max-attempts", "3"),
                Map.entry("providers.main.retry.initial-backoff", "100ms"),
                Map.entry("providers.main.retry.max-backoff", "2s"),
                Map.entry("providers.main.retry.window", "1m"),
                Map.entry("providers.main.retry.attempt-timeout", "20s"),
                Map.entry("providers.main.rate-limit.requests-per-minute", "60"),
                Map.entry("providers.main.rate-limit.tokens-per-minute", "100000"),
                Map.entry("providers.main.price.currency", "EUR"),
                Map.entry("providers.main.price.input-per-million.default", "0.5"),
                Map.entry("providers.main.price.output-per-million.default", "1.5"),
                Map.entry("providers.credit.type", "nscale"),
                Map.entry("providers.credit.base-url", "https://inference.api.nscale.com"));
        try (ApplicationContext context = ApplicationContext.run(properties)) {
            ProviderRegistry registry = context.getBean(ProviderRegistry.class);
            assertThat(registry.all()).extracting(ProviderInstance::name).containsExactlyInAnyOrder("main", "credit");
            ProviderInstance main = registry.find("main").orElseThrow();
            ProviderSettings s = main.settings();
            assertThat(s.getType()).isEqualTo("openai");
            assertThat(s.getApiKey()).isEqualTo("sk-bound");
            assertThat(s.getDefaultModel()).isEqualTo("gpt-4o-mini");
            assertThat(s.getConnectTimeout()).isEqualTo(Duration.ofSeconds(3));
            assertThat(s.getOptions()).containsEntry("chat-path", "/chat");
            assertThat(main.retry()).isEqualTo(new RetryConfig(3, Duration.ofMillis(100), Duration.ofSeconds(2),
                    Duration.ofMinutes(1), Duration.ofSeconds(20)));
            assertThat(s.getRateLimit().getRequestsPerMinute()).isEqualTo(60);
            assertThat(s.getRateLimit().getTokensPerMinute()).isEqualTo(100_000);
            assertThat(main.prices().currency()).isEqualTo("EUR");
            assertThat(main.prices().estimate("any", new Usage(1_000_000, 1_000_000, 2_000_000, null, null, null))
                    .getAsDouble()).isEqualTo(2.0);
            assertThat(registry.find("credit").orElseThrow().retry()).isEqualTo(RetryConfig.DEFAULTS);
        }
    }
}
