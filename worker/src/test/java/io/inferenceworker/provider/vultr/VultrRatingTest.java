package io.inferenceworker.provider.vultr;

import static io.inferenceworker.provider.ChatFixtures.call;
import static io.inferenceworker.provider.ChatFixtures.request;
import static io.inferenceworker.provider.ChatFixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inferenceworker.provider.ChatProvider;
import io.inferenceworker.provider.CompletionRater;
import io.inferenceworker.provider.ProviderException;
import io.inferenceworker.provider.ProviderSettings;
import io.inferenceworker.provider.SimulatorWorld;
import io.inferenceworker.testkit.sim.Dialect;
import io.inferenceworker.testkit.sim.ProviderSimulator;
import io.inferenceworker.testkit.sim.RecordedRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Rating ({@link CompletionRater}) against the simulator. The simulator's rating route is configured to a
 * non-default path here, to show the option works; the default path is checked against the URI the adapter builds.
 */
class VultrRatingTest {
    private static final String KEY = "vultr-rating-key-77";
    private static final String CUSTOM_PATH = "/v1/chat/completions/{id}/vote";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ProviderException.Context CONTEXT = new ProviderException.Context("job-r", "vu", 1);

    @RegisterExtension
    static final SimulatorWorld WORLD = SimulatorWorld.of(ProviderSimulator.builder().withApiKey(Dialect.VULTR, KEY)
            .withVultrRatingPath(CUSTOM_PATH));

    private static ChatProvider provider;
    private static CompletionRater rater;

    @BeforeAll
    static void start() {
        provider = create(KEY, Map.of("rating-path", CUSTOM_PATH));
        rater = (CompletionRater) provider;
    }

    private static ChatProvider create(String key, Map<String, String> options) {
        ProviderSettings settings = WORLD.settings("vu", "vultr", Dialect.VULTR);
        settings.setApiKey(key);
        settings.setOptions(options);
        return WORLD.create(VultrProviderFactory::new, settings);
    }

    private static String completion(String model) {
        return provider.complete(call(request(model, "rate me").build(), TIMEOUT)).responseId();
    }

    private static ProviderException failure(CompletionRater rater, String id) {
        try {
            rater.rate(id, true, CONTEXT);
        } catch (ProviderException e) {
            return e;
        }
        throw new AssertionError("expected a ProviderException");
    }

    @Test
    void votesUpAndDown() {
        String up = completion("rate-up");
        rater.rate(up, true, CONTEXT);
        assertThat(WORLD.simulator().voteFor(up)).contains("up");

        String down = completion("rate-down");
        rater.rate(down, false, CONTEXT);
        assertThat(WORLD.simulator().voteFor(down)).contains("down");

        rater.rate(up, false, CONTEXT);
        assertThat(WORLD.simulator().voteFor(up)).contains("down");
    }

    @Test
    void sendsTheVoteWithTheKeyToTheConfiguredPath() {
        String id = completion("rate-wire");
        rater.rate(id, true, CONTEXT);
        List<RecordedRequest> votes = WORLD.simulator().requests().stream()
                .filter(r -> r.path().endsWith("/" + id + "/vote")).toList();
        assertThat(votes).hasSize(1);
        RecordedRequest vote = votes.get(0);
        assertThat(vote.method()).isEqualTo("POST");
        assertThat(vote.path()).isEqualTo("/vultr/v1/chat/completions/" + id + "/vote");
        assertThat(vote.rawBody()).isEqualTo("{\"vote\":\"up\"}");
        assertThat(vote.header("Authorization")).contains("Bearer " + KEY);
    }

    @Test
    void unknownCompletionIsTerminalNotFound() {
        ProviderException e = failure(rater, "chatcmpl-never-issued");
        assertThat(e).isInstanceOf(ProviderException.Terminal.class);
        assertThat(e.code()).isEqualTo("not_found");
        assertThat(e.httpStatus()).contains(404);
        assertThat(e.context()).isEqualTo(CONTEXT);
        assertThat(e.getMessage()).contains("not found");
    }

    @Test
    void idIsEncodedAsOnePathSegment() {
        ProviderException e = failure(rater, "a/b c?d");
        assertThat(e.code()).isEqualTo("not_found");
        assertThat(WORLD.simulator().requests()).anySatisfy(r -> assertThat(r.path())
                .isEqualTo("/vultr/v1/chat/completions/a%2Fb%20c%3Fd/vote"));
    }

    @Test
    void wrongKeyIsTerminalUnauthorizedWithoutTheKey() {
        CompletionRater wrong = (CompletionRater) create("wrong-rating-key", Map.of("rating-path", CUSTOM_PATH));
        ProviderException e = failure(wrong, completion("rate-auth"));
        assertThat(e).isInstanceOf(ProviderException.Terminal.class);
        assertThat(e.code()).isEqualTo("unauthorized");
        assertThat(e.getMessage()).doesNotContain("wrong-rating-key").doesNotContain(KEY);
    }

    @Test
    void blankIdIsTerminalWithoutACall() {
        long before = WORLD.simulator().totalRequests();
        assertThatThrownBy(() -> rater.rate(" ", true, CONTEXT))
                .isInstanceOfSatisfying(ProviderException.Terminal.class,
                        e -> assertThat(e.code()).isEqualTo("invalid_request"));
        assertThat(WORLD.simulator().totalRequests()).isEqualTo(before);
    }

    @Test
    void defaultPathIsTheAssumedOne() {
        // Against this simulator (custom route) the default path does not exist: Vultr's real path is not public.
        CompletionRater defaults = (CompletionRater) create(KEY, Map.of());
        String id = completion("rate-default");
        ProviderException e = failure(defaults, id);
        assertThat(e.code()).isEqualTo("not_found");
        assertThat(WORLD.simulator().requests()).anySatisfy(r -> assertThat(r.path())
                .isEqualTo("/vultr/v1/chat/completions/" + id + "/rate"));
        assertThat(WORLD.simulator().voteFor(id)).isEmpty();
    }

    @Test
    void unreachableServerIsRetryable() {
        ProviderSettings settings = settings("vu", "vultr", "http://127.0.0.1:1");
        CompletionRater nowhere = (CompletionRater) WORLD.create(VultrProviderFactory::new, settings);
        ProviderException e = failure(nowhere, "chatcmpl-1");
        assertThat(e).isInstanceOf(ProviderException.Retryable.class);
        assertThat(e.code()).isEqualTo("connection_failed");
    }
}
