package io.inferenceworker.provider.vultr;

import static io.inferenceworker.provider.ChatFixtures.call;
import static io.inferenceworker.provider.ChatFixtures.request;
import static io.inferenceworker.provider.ChatFixtures.streamingCall;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.inferenceworker.provider.ChatFixtures.RecordingSink;
import io.inferenceworker.provider.ChatProvider;
import io.inferenceworker.provider.ChatReply;
import io.inferenceworker.provider.InvalidRequestException;
import io.inferenceworker.provider.ProviderSettings;
import io.inferenceworker.provider.SimulatorWorld;
import io.inferenceworker.testkit.sim.Behaviour;
import io.inferenceworker.testkit.sim.Dialect;
import io.inferenceworker.testkit.sim.ProviderSimulator;
import io.inferenceworker.testkit.sim.RecordedRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code options.allow-extended-parameters: true} against a Vultr API revision that takes what the 1.2.0 reference
 * lacks (the simulator told so): those fields are sent, and a stream asks for its usage instead of estimating it.
 */
class VultrExtendedParametersTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @RegisterExtension
    static final SimulatorWorld WORLD = SimulatorWorld.of(ProviderSimulator.builder()
            .withVultrExtendedParameters(true));

    private static ChatProvider vultr(Map<String, String> options) {
        ProviderSettings settings = WORLD.settings("vx", "vultr", Dialect.VULTR);
        settings.setOptions(options);
        return WORLD.create(VultrProviderFactory::new, settings);
    }

    private static RecordedRequest onlyRequest(String model) {
        List<RecordedRequest> requests = WORLD.simulator().requestsForModel(model);
        assertThat(requests).hasSize(1);
        return requests.getFirst();
    }

    @Test
    void extendedParametersAreSentWhenAllowed() {
        ChatProvider extended = vultr(Map.of("allow-extended-parameters", "true"));
        String model = WORLD.model("extended");
        var request = request(model, "hi").setN(2).setLogprobs(true).setTopLogprobs(1)
                .setFrequencyPenalty(0.5).setPresencePenalty(-0.5).setStop(List.of("END")).build();
        extended.validate(request);
        ChatReply reply = extended.complete(call(request, TIMEOUT));
        assertThat(reply.choices()).hasSize(2);
        assertThat(reply.choices().get(0).getLogprobs()).isNotNull();
        JsonNode body = onlyRequest(model).body();
        assertThat(body.path("n").asInt()).isEqualTo(2);
        assertThat(body.path("logprobs").asBoolean()).isTrue();
        assertThat(body.path("top_logprobs").asInt()).isEqualTo(1);
        assertThat(body.path("frequency_penalty").asDouble()).isEqualTo(0.5);
        assertThat(body.path("presence_penalty").asDouble()).isEqualTo(-0.5);
        assertThat(body.path("stop").get(0).asText()).isEqualTo("END");
    }

    @Test
    void streamAsksForUsageWhenAllowed() {
        ChatProvider extended = vultr(Map.of("allow-extended-parameters", "true"));
        String model = WORLD.model("ext-stream", Behaviour.ok("alpha beta gamma"));
        ChatReply reply = extended.complete(streamingCall(request(model, "hi").setStream(true).build(), TIMEOUT,
                new RecordingSink()));
        assertThat(reply.usage().getCompletionTokens()).isEqualTo(3);
        assertThat(reply.usage().getEstimated()).isNull();
        assertThat(onlyRequest(model).body().at("/stream_options/include_usage").asBoolean()).isTrue();
    }

    @Test
    void withoutTheOptionNothingUnlistedIsSent() {
        ChatProvider strict = vultr(Map.of());
        String model = WORLD.model("strict-stream", Behaviour.ok("alpha beta gamma"));
        ChatReply reply = strict.complete(streamingCall(request(model, "hi").setStream(true).build(), TIMEOUT,
                new RecordingSink()));
        assertThat(reply.usage().getEstimated()).isTrue();
        assertThat(onlyRequest(model).body().has("stream_options")).isFalse();
        assertThatThrownBy(() -> strict.validate(request(WORLD.model("strict-stop"), "hi")
                .setStop(List.of("END")).build())).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("allow-extended-parameters");
    }
}
