package io.inferenceworker.provider.elastic;

import static io.inferenceworker.provider.ChatFixtures.call;
import static io.inferenceworker.provider.ChatFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.inferenceworker.provider.ChatProvider;
import io.inferenceworker.provider.ChatReply;
import io.inferenceworker.provider.ProviderSettings;
import io.inferenceworker.provider.SimulatorWorld;
import io.inferenceworker.testkit.sim.Behaviour;
import io.inferenceworker.testkit.sim.Dialect;
import io.inferenceworker.testkit.sim.ProviderSimulator;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Elasticsearch's document sends {@code Authorization: $API_KEY} verbatim: a key configured with its scheme
 * ({@code ApiKey}, {@code Bearer}, {@code Basic}) is sent as is, a bare key gets {@code ApiKey }. The simulator
 * refuses a scheme put twice.
 */
class ElasticAuthorizationTest {
    private static final String TOKEN = "Bearer es-service-token-1";
    private static final String ENCODED = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @RegisterExtension
    static final SimulatorWorld WORLD = SimulatorWorld.of(ProviderSimulator.builder()
            .withApiKey(Dialect.ELASTIC, TOKEN));

    @AfterEach
    void restoreKey() {
        WORLD.simulator().setApiKey(Dialect.ELASTIC, TOKEN);
    }

    private static ChatProvider elastic(String key) {
        ProviderSettings settings = WORLD.settings("es-auth", "elastic", Dialect.ELASTIC);
        settings.setApiKey(key);
        return WORLD.create(ElasticProviderFactory::new, settings);
    }

    private static String sentAuthorization(ChatProvider provider) {
        String id = WORLD.model("auth", Behaviour.ok("fine"));
        ChatReply reply = provider.complete(call(request(id, "hi").build(), TIMEOUT));
        assertThat(reply.choices().getFirst().getContent()).isEqualTo("fine");
        List<String> sent = WORLD.simulator().requestsForModel(id).stream()
                .map(r -> r.header("Authorization").orElseThrow()).toList();
        assertThat(sent).hasSize(1);
        return sent.getFirst();
    }

    @Test
    void keyWithBearerSchemeIsSentVerbatim() {
        assertThat(sentAuthorization(elastic(TOKEN))).isEqualTo(TOKEN);
    }

    @Test
    void keyWithApiKeySchemeIsNotPrefixedAgain() {
        WORLD.simulator().setApiKey(Dialect.ELASTIC, ENCODED);
        assertThat(sentAuthorization(elastic("ApiKey " + ENCODED))).isEqualTo("ApiKey " + ENCODED);
        assertThat(sentAuthorization(elastic("apikey " + ENCODED))).isEqualTo("apikey " + ENCODED);
    }

    @Test
    void bareKeyStillGetsTheApiKeyScheme() {
        WORLD.simulator().setApiKey(Dialect.ELASTIC, ENCODED);
        assertThat(sentAuthorization(elastic(ENCODED))).isEqualTo("ApiKey " + ENCODED);
    }

    @Test
    void basicCredentialsAreSentVerbatim() {
        String basic = "Basic ZWxhc3RpYzpjaGFuZ2VtZQ==";
        WORLD.simulator().setApiKey(Dialect.ELASTIC, basic);
        assertThat(sentAuthorization(elastic(basic))).isEqualTo(basic);
    }
}
