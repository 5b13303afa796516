package io.inferenceworker.provider.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inferenceworker.provider.ProviderException;
import java.io.ByteArrayInputStream;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** SSE framing through the real line splitter ({@link HttpStream#readLine()}) and {@link SseReader}. */
class SseReaderTest {
    private static final ScheduledThreadPoolExecutor WATCHDOGS = new ScheduledThreadPoolExecutor(1);

    @AfterAll
    static void stop() {
        WATCHDOGS.shutdownNow();
    }

    private static List<SseEvent> events(String wire) {
        HttpStream stream = new HttpStream(new ProviderException.Context("j", "p", 1), 200,
                HttpHeaders.of(Map.of(), (a, b) -> true),
                new ByteArrayInputStream(wire.getBytes(StandardCharsets.UTF_8)), WATCHDOGS, Duration.ofMinutes(1),
                1024, 4096);
        SseReader reader = new SseReader(stream::readLine, 1024);
        List<SseEvent> events = new ArrayList<>();
        for (Optional<SseEvent> e = reader.next(); e.isPresent(); e = reader.next()) {
            events.add(e.get());
        }
        stream.close();
        return events;
    }

    @Test
    void openAiFraming() {
        assertThat(events("data: {\"a\":1}\n\ndata: {\"a\":2}\n\ndata: [DONE]\n\n")).containsExactly(
                new SseEvent("message", "{\"a\":1}"), new SseEvent("message", "{\"a\":2}"),
                new SseEvent("message", "[DONE]"));
    }

    @Test
    void crlfAndBareCrLineEnds() {
        assertThat(events("data: x\r\n\r\ndata: y\r\rdata: z\n\n"))
                .extracting(SseEvent::data).containsExactly("x", "y", "z");
    }

    @Test
    void elasticByteOrderMarkBeforeEveryEvent() {
        String wire = "\uFEFFevent: message\ndata: {\"id\":\"1\"}\n\n\uFEFFevent: message\ndata: [DONE]\n\n";
        List<SseEvent> events = events(wire);
        assertThat(events).containsExactly(new SseEvent("message", "{\"id\":\"1\"}"), new SseEvent("message", "[DONE]"));
        assertThat(events.get(1).isDone()).isTrue();
    }

    @Test
    void commentsIdsAndRetryAreIgnored() {
        assertThat(events(": keep-alive\nid: 7\nretry: 100\ndata: x\n\n:ping\n\n"))
                .containsExactly(new SseEvent("message", "x"));
    }

    @Test
    void multiLineDataJoinsWithNewlineAndSpaceIsOptional() {
        assertThat(events("data:{\"a\":\ndata:  1}\n\n")).extracting(SseEvent::data).containsExactly("{\"a\":\n 1}");
    }

    @Test
    void errorEventTypeIsKeptAndResetAfterDispatch() {
        List<SseEvent> events = events("event: error\ndata: {\"error\":{}}\n\ndata: next\n\n");
        assertThat(events.get(0).isError()).isTrue();
        assertThat(events.get(1).type()).isEqualTo("message");
    }

    @Test
    void pendingEventAtEndIsDispatched() {
        assertThat(events("data: [DONE]")).extracting(SseEvent::data).containsExactly("[DONE]");
        assertThat(events("")).isEmpty();
        assertThat(events("\n\n: only a comment\n")).isEmpty();
    }

    @Test
    void oversizeEventsAndLinesFail() {
        String big = "x".repeat(800);
        assertThatThrownBy(() -> events("data: " + big + "\ndata: " + big + "\n\n"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> events("data: " + "y".repeat(2000) + "\n\n"))
                .isInstanceOfSatisfying(ProviderException.Retryable.class,
                        e -> assertThat(e.code()).isEqualTo("malformed_response"));
    }
}
