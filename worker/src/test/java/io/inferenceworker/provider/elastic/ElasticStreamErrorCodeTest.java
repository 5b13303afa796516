package io.inferenceworker.provider.elastic;

import static io.inferenceworker.provider.ChatFixtures.call;
import static io.inferenceworker.provider.ChatFixtures.request;
import static io.inferenceworker.provider.ChatFixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.inferenceworker.provider.ChatProvider;
import io.inferenceworker.provider.ChatReply;
import io.inferenceworker.provider.ProviderException;
import io.inferenceworker.provider.ProviderSettings;
import io.inferenceworker.provider.SimulatorWorld;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Error events in place of {@code [DONE]} with the codes Elasticsearch writes there (its status names, or the
 * service's own codes), and framing variants of its stream. The simulator always ends a stream with the same error,
 * so this class serves exact Elasticsearch byte sequences from a plain JDK HTTP server: one canned body per
 * inference ID.
 */
class ElasticStreamErrorCodeTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String CHUNK = "{\"id\":\"chatcmpl-7\",\"choices\":[{\"delta\":{\"content\":\"Hel\","
            + "\"role\":\"assistant\"},\"index\":0}],\"model\":\"gpt-4o\",\"object\":\"chat.completion.chunk\"}";
    private static final Map<String, String> BODIES = new ConcurrentHashMap<>();

    @RegisterExtension
    static final SimulatorWorld WORLD = SimulatorWorld.offline();

    private static ExecutorService executor;
    private static HttpServer server;
    private static ChatProvider provider;

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/_inference/chat_completion/", exchange -> {
            String id = exchange.getRequestURI().getPath().split("/")[3];
            byte[] body = BODIES.getOrDefault(id, "").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream;charset=utf-8");
            exchange.getResponseHeaders().set("X-Opaque-Id",
                    exchange.getRequestHeaders().getFirst("X-Opaque-Id"));
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        ProviderSettings settings = settings("es", "elastic",
                "http://127.0.0.1:" + server.getAddress().getPort());
        provider = WORLD.create(ElasticProviderFactory::new, settings);
    }

    @AfterAll
    static void stop() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static String event(String name, String data) {
        return "\uFEFFevent: " + name + "\ndata: " + data + "\n\n";
    }

    private static String serve(String id, String body) {
        BODIES.put(id, body);
        return id;
    }

    private static ProviderException failure(String id) {
        try {
            provider.complete(call(request(id, "hi").build(), TIMEOUT));
        } catch (ProviderException e) {
            return e;
        }
        throw new AssertionError("expected a ProviderException");
    }

    @ParameterizedTest
    @CsvSource({
        "too_many_requests, status_exception, true, rate_limited",
        "rate_limit_exceeded, requests, true, rate_limited",
        "request_timeout, status_exception, true, timeout",
        "429, status_exception, true, rate_limited",
        "insufficient_quota, insufficient_quota, false, insufficient_credit",
        "bad_request, status_exception, false, bad_request",
        "not_found, status_exception, false, not_found",
        "context_length_exceeded, invalid_request_error, false, bad_request",
        "internal_server_error, status_exception, true, stream_error",
        "service_unavailable, status_exception, true, stream_error",
        "503, error, true, stream_error",
        "something_new, error, true, stream_error"})
    void errorEventCodeDecidesTheClassification(String code, String type, boolean retryable, String expected) {
        String id = serve("code-" + code.replace('_', '-'), event("message", CHUNK) + event("error",
                "{\"error\":{\"code\":\"" + code + "\",\"message\":\"upstream said no\",\"type\":\"" + type + "\"}}"));
        ProviderException e = failure(id);
        assertThat(e.isRetryable()).isEqualTo(retryable);
        assertThat(e.code()).isEqualTo(expected);
        assertThat(e.httpStatus()).contains(200);
        assertThat(e.getMessage()).contains("upstream said no");
    }

    @Test
    void errorEventWithoutCodeIsAStreamError() {
        ProviderException e = failure(serve("nocode", event("message", CHUNK)
                + event("error", "{\"error\":{\"message\":\"boom\",\"type\":\"error\"}}")));
        assertThat(e).isInstanceOf(ProviderException.Retryable.class);
        assertThat(e.code()).isEqualTo("stream_error");
    }

    @Test
    void streamEndingWithoutDoneIsARetryableStreamError() {
        ProviderException e = failure(serve("nodone", event("message", CHUNK)));
        assertThat(e).isInstanceOf(ProviderException.Retryable.class);
        assertThat(e.code()).isEqualTo("stream_error");
    }

    @Test
    void crlfFramingNullsLeftOutAndUsageOnlyChunkAreUnderstood() {
        String usage = "{\"id\":\"chatcmpl-7\",\"choices\":[],\"model\":\"gpt-4o\",\"object\":\"chat.completion.chunk\","
                + "\"usage\":{\"completion_tokens\":2,\"prompt_tokens\":9,\"total_tokens\":11,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":4},\"completion_tokens_details\":"
                + "{\"reasoning_tokens\":1}}}";
        String finish = "{\"id\":\"chatcmpl-7\",\"choices\":[{\"delta\":{\"content\":\"lo\"},\"finish_reason\":"
                + "\"stop\",\"index\":0}],\"model\":\"gpt-4o\",\"object\":\"chat.completion.chunk\"}";
        String body = (event("message", CHUNK) + event("message", finish) + event("message", usage)
                + event("message", "[DONE]")).replace("\n", "\r\n");
        ChatReply reply = provider.complete(call(request(serve("crlf", body), "hi").build(), TIMEOUT));
        assertThat(reply.responseId()).isEqualTo("chatcmpl-7");
        assertThat(reply.model()).isEqualTo("gpt-4o");
        assertThat(reply.choices().getFirst().getContent()).isEqualTo("Hello");
        assertThat(reply.choices().getFirst().getFinishReason()).isEqualTo("stop");
        assertThat(reply.usage().getCachedTokens()).isEqualTo(4);
        assertThat(reply.usage().getReasoningTokens()).isEqualTo(1);
        assertThat(reply.usage().getTotalTokens()).isEqualTo(11);
        // Without X-Cloud-Request-Id (a self-managed cluster) the echoed X-Opaque-Id names the request.
        assertThat(reply.providerRequestId()).startsWith("job-");
    }
}
