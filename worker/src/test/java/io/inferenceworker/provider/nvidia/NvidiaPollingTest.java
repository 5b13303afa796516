package io.inferenceworker.provider.nvidia;

import static io.inferenceworker.provider.ChatFixtures.call;
import static io.inferenceworker.provider.ChatFixtures.failure;
import static io.inferenceworker.provider.ChatFixtures.request;
import static io.inferenceworker.provider.ChatFixtures.streamingCall;
import static io.inferenceworker.provider.nvidia.NvidiaFixtures.API_KEY;
import static io.inferenceworker.provider.nvidia.NvidiaFixtures.nvidiaSettings;
import static io.inferenceworker.provider.nvidia.NvidiaFixtures.pollsOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.inferenceworker.provider.ChatCall;
import io.inferenceworker.provider.ChatFixtures.RecordingSink;
import io.inferenceworker.provider.ChatProvider;
import io.inferenceworker.provider.ChatReply;
import io.inferenceworker.provider.ProviderException;
import io.inferenceworker.provider.SimulatorWorld;
import io.inferenceworker.schemas.CompletionRequest;
import io.inferenceworker.testkit.sim.Behaviour;
import io.inferenceworker.testkit.sim.Dialect;
import io.inferenceworker.testkit.sim.RecordedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** NVIDIA's 202 + {@code NVCF-REQID} answer, polled at the simulator's {@code /v2/nvcf/pexec/status/{reqId}}. */
class NvidiaPollingTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @RegisterExtension
    static final SimulatorWorld WORLD = NvidiaFixtures.world();

    /** Polls every 20..50 ms, to keep the tests fast. */
    private static ChatProvider fast;
    /** The default intervals: 100 ms doubling to 1 s. */
    private static ChatProvider defaults;

    @BeforeAll
    static void start() {
        fast = WORLD.create(NvidiaProviderFactory::new, nvidiaSettings(WORLD.simulator(), Map.of(
                NvidiaOptions.POLL_INITIAL_INTERVAL, "20ms", NvidiaOptions.POLL_MAX_INTERVAL, "50ms")));
        defaults = WORLD.create(NvidiaProviderFactory::new, nvidiaSettings(WORLD.simulator(), Map.of()));
    }

    private static String model(String scenario, Behaviour... behaviours) {
        return WORLD.model(scenario, behaviours);
    }

    @Test
    void acceptedRequestIsPolledWithTheSameKeyUntilTheResultArrives() {
        String model = model("accepted", Behaviour.accepted202(3));

        ChatReply reply = fast.complete(call(request(model, "a slow one").build(), TIMEOUT));

        assertThat(reply.choices().getFirst().getContent()).isEqualTo("Echo: a slow one");
        assertThat(reply.model()).isEqualTo(model);
        assertThat(reply.usage().getTotalTokens()).isPositive();
        String requestId = reply.providerRequestId();
        assertThat(requestId).as("the NVCF-REQID of the 202 and the polls").matches("[0-9a-f-]{36}");
        List<RecordedRequest> polls = pollsOf(WORLD.simulator(), requestId);
        assertThat(polls).hasSize(4);
        assertThat(polls).allSatisfy(poll -> {
            assertThat(poll.path()).isEqualTo("/nvidia/v2/nvcf/pexec/status/" + requestId);
            assertThat(poll.header("Authorization")).contains("Bearer " + API_KEY);
            assertThat(poll.header("Accept")).contains("application/json");
            assertThat(poll.rawBody()).isEmpty();
        });
        assertThat(WORLD.simulator().requestsForModel(model)).as("the chat request is sent once").hasSize(1);
    }

    @Test
    void traceparentIsForwardedToThePolls() {
        String model = model("traced", Behaviour.accepted202(0));
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        CompletionRequest request = request(model, "hi").build();
        ChatCall call = ChatCall.of(request.getJobId(), request, 1, Instant.now().plus(TIMEOUT))
                .withTraceparent(Optional.of(traceparent));

        ChatReply reply = fast.complete(call);

        assertThat(pollsOf(WORLD.simulator(), reply.providerRequestId())).singleElement()
                .satisfies(poll -> assertThat(poll.header("traceparent")).contains(traceparent));
    }

    @Test
    void pollingBacksOffAndGivesUpAtTheAttemptDeadline() {
        String model = model("forever", Behaviour.accepted202(1_000_000));
        long started = System.nanoTime();

        ProviderException e = failure(defaults, call(request(model, "hi").build(), Duration.ofMillis(1600)));

        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(e).isInstanceOf(ProviderException.Retryable.class);
        assertThat(e.code()).isEqualTo("timeout");
        assertThat(e.httpStatus()).contains(202);
        assertThat(e.getMessage()).contains("still pending after").contains("attempt deadline");
        String requestId = e.providerRequestId().orElseThrow();
        // 100, 200, 400, 800 ms apart: four polls fit in 1.6 s; a busy loop would make hundreds.
        assertThat(pollsOf(WORLD.simulator(), requestId)).hasSizeBetween(3, 5);
        assertThat(took).isBetween(Duration.ofMillis(1400), Duration.ofSeconds(4));
    }

    @Test
    void aDeadlineDuringAStatusPollStillNamesThePendingRequest() {
        // every answer takes 600 ms: the POST's 202 at ~600 ms, then the first poll runs into the 1 s deadline
        String model = model("slow-polls", Behaviour.accepted202(1_000_000).withLatency(Duration.ofMillis(600)));

        ProviderException e = failure(defaults, call(request(model, "hi").build(), Duration.ofMillis(1000)));

        assertThat(e).isInstanceOf(ProviderException.Retryable.class);
        assertThat(e.code()).isEqualTo("timeout");
        assertThat(e.getMessage()).contains("still pending after 0 status polls")
                .contains("attempt deadline came during a status poll");
        assertThat(e.providerRequestId()).isPresent();
    }

    @Test
    void retryAfterOfThe202IsHonoured() {
        String model = model("hinted", Behaviour.accepted202(0).withHeader("retry-after-ms", "400"));

        ChatReply reply = fast.complete(call(request(model, "hi").build(), TIMEOUT));

        RecordedRequest post = WORLD.simulator().requestsForModel(model).getFirst();
        RecordedRequest poll = pollsOf(WORLD.simulator(), reply.providerRequestId()).getFirst();
        assertThat(Duration.between(post.receivedAt(), poll.receivedAt())).isGreaterThanOrEqualTo(
                Duration.ofMillis(390));
    }

    @Test
    void retryAfterPastTheDeadlineGivesUpAtOnce() {
        String model = model("too-late", Behaviour.accepted202(0).withHeader("retry-after", "30"));
        long started = System.nanoTime();

        ProviderException e = failure(fast, call(request(model, "hi").build(), Duration.ofSeconds(5)));

        assertThat(e).isInstanceOf(ProviderException.Retryable.class);
        assertThat(e.code()).isEqualTo("timeout");
        assertThat(e.getMessage()).contains("asks to wait 30000 ms");
        assertThat(pollsOf(WORLD.simulator(), e.providerRequestId().orElseThrow())).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void unknownRequestIdIsARetryableResultUnavailable() {
        String model = model("lost", Behaviour.accepted202(0).withHeader("NVCF-REQID", "no-such-request"));

        ProviderException e = failure(fast, call(request(model, "hi").build(), TIMEOUT));

        assertThat(e).isInstanceOf(ProviderException.Retryable.class);
        assertThat(e.code()).isEqualTo(NvcfPoller.RESULT_UNAVAILABLE);
        assertThat(e.httpStatus()).contains(404);
        assertThat(e.outage()).as("NVCF is up: only this result is gone").isFalse();
        assertThat(e.getMessage()).contains("HTTP 404");
        assertThat(e.providerRequestId()).contains("no-such-request");
        assertThat(pollsOf(WORLD.simulator(), "no-such-request")).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "../../v1/models", "a/b", "id?x=1"})
    void accepted202WithoutAUsableRequestIdIsRetryableMalformed(String header) {
        String model = model("no-id", Behaviour.accepted202(0).withHeader("NVCF-REQID", header));
        long before = WORLD.simulator().totalRequests(Dialect.NVIDIA);

        ProviderException e = failure(fast, call(request(model, "hi").build(), TIMEOUT));

        assertThat(e).isInstanceOf(ProviderException.Retryable.class);
        assertThat(e.code()).isEqualTo("malformed_response");
        assertThat(e.httpStatus()).contains(202);
        assertThat(WORLD.simulator().totalRequests(Dialect.NVIDIA) - before).as("no poll").isEqualTo(1);
    }

    @Test
    void streamsAreNeverAnsweredWith202() {
        String model = model("stream", Behaviour.accepted202(2));
        RecordingSink sink = new RecordingSink();

        ChatReply reply = fast.complete(streamingCall(request(model, "streamed").setStream(true).build(), TIMEOUT,
                sink));

        assertThat(reply.choices().getFirst().getContent()).isEqualTo("Echo: streamed");
        assertThat(sink.content(0)).isEqualTo("Echo: streamed");
    }
}
