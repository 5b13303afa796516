package io.inferenceworker.it;

import static io.inferenceworker.it.WorkerHarness.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.inferenceworker.testkit.sim.Behaviour;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** API keys configured for a run never show up in logs, results or dead-letter headers, whatever goes wrong. */
class SecretsTest {
    private static final String SECRET = "sk-live-SECRET-7f3a9c01d2e4";

    @Test
    void apiKeysNeverAppearInLogsResultsOrDeadLetters() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger ours = (Logger) LoggerFactory.getLogger("io.inferenceworker");
        Level previous = ours.getLevel();
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        ours.setLevel(Level.DEBUG);
        try (WorkerHarness h = new WorkerHarness("secrets", 1)) {
            var sim = h.stack.simulator();
            String ok = h.prefix + "-ok", unauthorized = h.prefix + "-401", bad = h.prefix + "-400";
            String flaky = h.prefix + "-503", hang = h.prefix + "-hang";
            sim.onModel(unauthorized, Behaviour.status(401));
            sim.onModel(bad, Behaviour.status(400));
            sim.onModel(flaky, Behaviour.status(503));
            sim.onModel(hang, Behaviour.hang());
            h.startWorker(Map.of("providers.sim.api-key", SECRET,
                    "providers.sim.retry.max-attempts", 2,
                    "providers.sim.retry.attempt-timeout", "500ms"));
            for (String id : List.of(ok, unauthorized, bad, flaky, hang)) {
                h.send(request(id, id, "hello").build());
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> h.collector(h.results).size() >= 5
                    && h.collector(h.dlq).size() >= 4);

            // the key was really used, so the test could have caught a leak
            assertThat(sim.requestsForModel(ok).get(0).header("authorization")).contains("Bearer " + SECRET);
            assertThat(h.results()).allSatisfy(r -> assertThat(r.toString()).doesNotContain(SECRET));
            assertThat(h.collector(h.dlq).records()).allSatisfy(r -> {
                for (Header header : r.headers()) {
                    assertThat(new String(header.value(), StandardCharsets.UTF_8)).doesNotContain(SECRET);
                }
            });
            assertThat(captured.list).isNotEmpty();
            assertThat(captured.list).allSatisfy(e -> {
                assertThat(e.getFormattedMessage()).doesNotContain(SECRET);
                if (e.getThrowableProxy() != null) {
                    assertThat(e.getThrowableProxy().getMessage()).doesNotContain(SECRET);
                }
            });
        } finally {
            root.detachAppender(captured);
            ours.setLevel(previous);
        }
    }
}
