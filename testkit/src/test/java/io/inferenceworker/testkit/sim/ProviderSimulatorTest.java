package io.inferenceworker.testkit.sim;

import static io.inferenceworker.testkit.sim.SimHttp.chat;
import static io.inferenceworker.testkit.sim.SimHttp.get;
import static io.inferenceworker.testkit.sim.SimHttp.json;
import static io.inferenceworker.testkit.sim.SimHttp.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ProviderSimulatorTest {

    private static ProviderSimulator sim;

    @BeforeAll
    static void start() {
        sim = ProviderSimulator.start();
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    private static String chatUrl(Dialect dialect) {
        return sim.baseUrl(dialect) + "/v1/chat/completions";
    }

    @Test
    void baseUrlsPointAtDialectPrefixes() {
        assertThat(sim.baseUrl()).isEqualTo("http://127.0.0.1:" + sim.port());
        assertThat(sim.baseUrl(Dialect.VULTR)).isEqualTo(sim.baseUrl() + "/vultr");
        assertThat(json(get(sim.baseUrl() + "/")).at("/dialects/NSCALE").asText()).isEqualTo("/nscale");
        assertThat(get(sim.baseUrl() + "/nowhere").statusCode()).isEqualTo(404);
    }

    @Test
    void scenarioSequenceIsConsumedPerRequestAndTheLastStepRepeats() {
        sim.onModel("seq", Behaviour.status(503), Behaviour.status(503), Behaviour.ok("finally"));

        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            statuses.add(post(chatUrl(Dialect.OPENAI), chat("seq", "x")).statusCode());
        }

        assertThat(statuses).containsExactly(503, 503, 200, 200);
        assertThat(json(post(chatUrl(Dialect.OPENAI), chat("seq", "x"))).at("/choices/0/message/content").asText())
                .isEqualTo("finally");
        assertThat(sim.totalRequestsForModel("seq")).isEqualTo(5);
    }

    @Test
    void requestsAreRecordedWithCaseInsensitiveHeadersAndRedactedToString() {
        post(chatUrl(Dialect.NSCALE) + "?trace=1", chat("rec", "record me"), "Authorization", "Bearer s3cret",
                "X-Custom", "v");

        RecordedRequest request = sim.requestsForModel("rec").getLast();

        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/nscale/v1/chat/completions");
        assertThat(request.query()).isEqualTo("trace=1");
        assertThat(request.dialect()).isEqualTo(Dialect.NSCALE);
        assertThat(request.header("authorization")).contains("Bearer s3cret");
        assertThat(request.headers().get("x-custom")).containsExactly("v");
        assertThat(request.body().at("/messages/0/content").asText()).isEqualTo("record me");
        assertThat(request.rawBody()).contains("record me");
        assertThat(request.receivedAt()).isNotNull();
        assertThat(request.toString()).doesNotContain("s3cret");
    }

    @Test
    void logIsBoundedAndRecordingCanBeDisabled() {
        try (ProviderSimulator small = ProviderSimulator.builder().withLogCapacity(3).start();
                ProviderSimulator silent = ProviderSimulator.builder().withRecording(false).start()) {
            for (int i = 0; i < 5; i++) {
                post(small.baseUrl(Dialect.OPENAI) + "/v1/chat/completions", chat("m" + i, "x"));
                post(silent.baseUrl(Dialect.OPENAI) + "/v1/chat/completions", chat("m" + i, "x"));
            }
            assertThat(small.requests()).extracting(RecordedRequest::model).containsExactly("m2", "m3", "m4");
            assertThat(silent.requests()).isEmpty();
            assertThat(silent.totalRequests()).isEqualTo(5);
            assertThat(silent.totalRequests(Dialect.OPENAI)).isEqualTo(5);
            assertThat(silent.totalRequests(Dialect.VULTR)).isZero();
        }
    }

    @Test
    void latencyIsAppliedGloballyPerDialectAndPerBehaviour() {
        try (ProviderSimulator slow = ProviderSimulator.start()) {
            slow.setLatency(Duration.ofMillis(150));
            slow.setLatency(Dialect.NSCALE, Duration.ZERO);
            slow.onModel("extra", Behaviour.latency(Duration.ofMillis(200)));

            assertThat(elapsedMillis(slow.baseUrl(Dialect.OPENAI), "plain")).isGreaterThanOrEqualTo(150);
            assertThat(elapsedMillis(slow.baseUrl(Dialect.NSCALE), "extra")).isBetween(200L, 2_000L);
            assertThat(elapsedMillis(slow.baseUrl(Dialect.OPENAI), "extra")).isGreaterThanOrEqualTo(350);
        }
    }

    private static long elapsedMillis(String base, String model) {
        long start = System.nanoTime();
        assertThat(post(base + "/v1/chat/completions", chat(model, "x")).statusCode()).isEqualTo(200);
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    @Test
    void malformedJsonIsA200WithABrokenBody() {
        sim.onModel("broken", Behaviour.malformedJson());
        HttpResponse<String> response = post(chatUrl(Dialect.VULTR), chat("broken", "x"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> json(response)).isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void connectionResetDropsTheConnectionWithoutAnswer() {
        sim.onModel("reset", Behaviour.connectionReset());
        assertThatThrownBy(() -> post(chatUrl(Dialect.OPENAI), chat("reset", "x")))
                .isInstanceOf(UncheckedIOException.class)
                .hasCauseInstanceOf(IOException.class);
        assertThat(post(chatUrl(Dialect.OPENAI), chat("after-reset", "x")).statusCode()).isEqualTo(200);
    }

    @Test
    void runtimeApiKeyAndResetRestoreBuilderKeys() {
        try (ProviderSimulator keyed = ProviderSimulator.builder().withApiKey(Dialect.OPENAI, "k1").start()) {
            String url = keyed.baseUrl(Dialect.OPENAI) + "/v1/chat/completions";
            assertThat(post(url, chat("m", "x"), "Authorization", "Bearer k1").statusCode()).isEqualTo(200);
            keyed.setApiKey(Dialect.OPENAI, "k2");
            assertThat(post(url, chat("m", "x"), "Authorization", "Bearer k1").statusCode()).isEqualTo(401);
            keyed.onModel("m", Behaviour.status(500));
            keyed.reset();
            assertThat(post(url, chat("m", "x"), "Authorization", "Bearer k1").statusCode()).isEqualTo(200);
            assertThat(keyed.totalRequests()).isEqualTo(1);
            assertThat(keyed.requests()).hasSize(1);
        }
    }

    @Test
    void hangingRequestsAreCountedAndReleasedAtClose() throws Exception {
        int clients = 300;
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        ProviderSimulator hanging = ProviderSimulator.start();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            hanging.onModel("hang", Behaviour.hang());
            URI uri = URI.create(hanging.baseUrl(Dialect.OPENAI) + "/v1/chat/completions");
            for (int i = 0; i < clients; i++) {
                HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(chat("hang", "x").toString())).build();
                calls.add(CompletableFuture.supplyAsync(() -> SimHttp.send(request), threads));
            }
            await().atMost(Duration.ofSeconds(15)).until(() -> hanging.inFlight() == clients);
            assertThat(hanging.peakConcurrency()).isGreaterThanOrEqualTo(clients);
            assertThat(calls).noneMatch(CompletableFuture::isDone);

            long closeStart = System.nanoTime();
            hanging.close();

            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - closeStart)).isLessThan(5);
            await().atMost(Duration.ofSeconds(10)).until(() -> calls.stream().allMatch(CompletableFuture::isDone));
            assertThat(calls).allMatch(CompletableFuture::isCompletedExceptionally);
            assertThat(hanging.inFlight()).isZero();
        } finally {
            hanging.close();
        }
    }

    @Test
    void peakConcurrencyWithLatency() throws Exception {
        try (ProviderSimulator busy = ProviderSimulator.builder().withRecording(false).start();
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            busy.setLatency(Duration.ofMillis(1_000));
            String url = busy.baseUrl(Dialect.NVIDIA) + "/v1/chat/completions";
            List<CompletableFuture<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                calls.add(CompletableFuture.supplyAsync(() -> post(url, chat("busy", "x")).statusCode(), threads));
            }
            for (CompletableFuture<Integer> call : calls) {
                assertThat(call.get(20, TimeUnit.SECONDS)).isEqualTo(200);
            }
            assertThat(busy.peakConcurrency()).isGreaterThanOrEqualTo(100);
            assertThat(busy.totalRequests(Dialect.NVIDIA)).isEqualTo(200);
            await().atMost(Duration.ofSeconds(5)).until(() -> busy.inFlight() == 0);
            busy.resetPeak();
            assertThat(busy.peakConcurrency()).isZero();
        }
    }

    @Test
    void builderSettingsShapeTheAnswer() {
        Instant fixed = Instant.parse("2026-01-02T03:04:05Z");
        try (ProviderSimulator custom = ProviderSimulator.builder()
                .withClock(Clock.fixed(fixed, ZoneOffset.UTC))
                .withDefaultReply(text -> "You said " + text.length() + " characters")
                .start()) {
            JsonNode reply = json(post(custom.baseUrl(Dialect.NSCALE) + "/v1/chat/completions", chat("m", "abcd")));
            assertThat(reply.path("created").asLong()).isEqualTo(fixed.getEpochSecond());
            assertThat(reply.at("/choices/0/message/content").asText()).isEqualTo("You said 4 characters");
            assertThat(custom.requests().getFirst().receivedAt()).isEqualTo(fixed);
        }
    }

    @Test
    void chunkDelayPacesStreamEvents() {
        sim.onModel("paced", Behaviour.ok("a b c d").withChunkDelay(Duration.ofMillis(60)));
        long start = System.nanoTime();
        HttpResponse<String> response = post(chatUrl(Dialect.OPENAI), chat("paced", "x").put("stream", true));
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        // role chunk, 4 content chunks, finish chunk, [DONE]: six pauses between seven events
        assertThat(elapsed).isGreaterThanOrEqualTo(360);
        assertThat(SimHttp.joinDeltas(SimHttp.events(response.body()), "content")).isEqualTo("a b c d");
    }

    @Test
    void behaviourFactoriesRejectNonsense() {
        assertThatThrownBy(() -> Behaviour.status(200)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Behaviour.toolCall("f", "{not json")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Behaviour.accepted202(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sim.onModel("empty")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProviderSimulator.builder().withVultrRatingPath("/no/placeholder"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
