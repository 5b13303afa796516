package io.inferenceworker.provider.compat;

import io.inferenceworker.provider.ChatFixtures;
import static org.assertj.core.api.Assertions.assertThat;

import io.inferenceworker.provider.ProviderSettings;
import io.inferenceworker.provider.transport.ProviderTransport;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenAiCompatibleClientTest {

    @Test
    void providerTextIsRedactedCleanedAndBounded() {
        ProviderSettings settings = ChatFixtures.settings("p", "openai", "https://api.example.com/");
        settings.setApiKey("sk-SECRET-123");
        try (ProviderTransport transport = new ProviderTransport(Clock.systemUTC())) {
            OpenAiCompatibleClient client = new OpenAiCompatibleClient(settings, "openai", transport,
                    StatusPolicy.defaults());
            assertThat(client.sanitize("Incorrect API key provided: sk-SECRET-123.\r\nSee docs"))
                    .isEqualTo("Incorrect API key provided: <redacted>. See docs");
            assertThat(client.sanitize("x".repeat(2000))).hasSize(ErrorClassifier.MAX_MESSAGE_CHARS + 3);
            assertThat(client.endpoint()).hasToString("https://api.example.com/v1/chat/completions");
        }
    }

    @Test
    void chatPathIsConfigurable() {
        ProviderSettings settings = ChatFixtures.settings("p", "openai", "https://api.openai.com/v1");
        settings.setOptions(Map.of(OpenAiCompatibleClient.CHAT_PATH_OPTION, "chat/completions"));
        try (ProviderTransport transport = new ProviderTransport(null)) {
            assertThat(new OpenAiCompatibleClient(settings, "openai", transport, StatusPolicy.defaults()).endpoint())
                    .hasToString("https://api.openai.com/v1/chat/completions");
        }
    }
}
