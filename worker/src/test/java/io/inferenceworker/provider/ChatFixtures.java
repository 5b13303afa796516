package io.inferenceworker.provider;

import io.inferenceworker.schemas.CompletionRequest;
import io.inferenceworker.schemas.Message;
import io.inferenceworker.schemas.Role;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Builders of settings, requests and calls shared by the provider tests. */
public final class ChatFixtures {
    private ChatFixtures() {
    }

    /** Settings of instance {@code name} of {@code type} at {@code baseUrl}. */
    public static ProviderSettings settings(String name, String type, String baseUrl) {
        ProviderSettings settings = new ProviderSettings(name, null, null, null, null);
        settings.setType(type);
        settings.setBaseUrl(baseUrl == null ? null : URI.create(baseUrl));
        return settings;
    }

    /** A one-message request to {@code model}. */
    public static CompletionRequest.Builder request(String model, String userText) {
        return CompletionRequest.newBuilder()
                .setJobId("job-" + UUID.randomUUID())
                .setProvider("p")
                .setModel(model)
                .setMessages(List.of(Message.newBuilder().setRole(Role.USER).setContent(userText).build()));
    }

    /** A non-streamed call of {@code request}, first attempt, {@code timeout} from now. */
    public static ChatCall call(CompletionRequest request, Duration timeout) {
        return ChatCall.of(request.getJobId(), request, 1, Instant.now().plus(timeout));
    }

    /** A call delivering deltas to {@code sink}. */
    public static ChatCall streamingCall(CompletionRequest request, Duration timeout, DeltaSink sink) {
        return ChatCall.of(request.getJobId(), request, 1, Instant.now().plus(timeout)).withSink(Optional.of(sink));
    }

    /** The {@link ProviderException} {@code provider} fails {@code call} with; an assertion error when it answers. */
    public static ProviderException failure(ChatProvider provider, ChatCall call) {
        try {
            provider.complete(call);
        } catch (ProviderException e) {
            return e;
        }
        throw new AssertionError("expected a ProviderException");
    }

    /** A sink that records deltas. */
    public static final class RecordingSink implements DeltaSink {
        private final List<Delta> deltas = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void onDelta(Delta delta) {
            deltas.add(delta);
        }

        public List<Delta> deltas() {
            return List.copyOf(deltas);
        }

        /** The concatenated content deltas of {@code choice}. */
        public String content(int choice) {
            StringBuilder text = new StringBuilder();
            for (Delta d : deltas()) {
                if (d.choiceIndex() == choice && d.content() != null) {
                    text.append(d.content());
                }
            }
            return text.toString();
        }
    }
}
