package io.inferenceworker.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inferenceworker.schemas.Choice;
import io.inferenceworker.schemas.CompletionRequest;
import io.inferenceworker.schemas.CompletionResult;
import io.inferenceworker.schemas.CompletionStatus;
import io.inferenceworker.schemas.Message;
import io.inferenceworker.schemas.Usage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One synchronous OpenAI chat-completions call per request, as the worker's competitors write it: the JDK
 * {@link HttpClient} (HTTP/1.1), Jackson for the JSON, the answer mapped to a {@code CompletionResult}. Shared by the
 * {@link BaselineConsumer} and the {@link ParallelConsumerContender}, so that both pay the same per-call cost.
 * Thread-safe: one client, called from many threads.
 */
final class OpenAiCall {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT).build();
    private final URI chatUrl;

    /** @param providerUrl the OpenAI-compatible base URL */
    OpenAiCall(URI providerUrl) {
        this.chatUrl = URI.create(providerUrl + "/v1/chat/completions");
    }

    /** Calls the provider and waits for its answer; a non-200 answer is a {@code FAILED} result. */
    CompletionResult complete(CompletionRequest request) throws IOException, InterruptedException {
        long started = System.currentTimeMillis();
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(chatUrl)
                .header("Content-Type", "application/json")
                .timeout(CALL_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body(request)))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        long now = System.currentTimeMillis();
        CompletionResult.Builder result = CompletionResult.newBuilder()
                .setJobId(request.getJobId())
                .setProvider(request.getProvider())
                .setModel(request.getModel())
                .setAttempts(1)
                .setCompletedAt(Instant.ofEpochMilli(now));
        if (response.statusCode() != 200) {
            return result.setStatus(CompletionStatus.FAILED).build();
        }
        JsonNode reply = json.readTree(response.body());
        JsonNode choice = reply.path("choices").path(0);
        JsonNode usage = reply.path("usage");
        return result.setStatus(CompletionStatus.SUCCEEDED)
                .setResponseId(reply.path("id").asText(null))
                .setChoices(List.of(Choice.newBuilder()
                        .setIndex(0)
                        .setRole("assistant")
                        .setContent(choice.path("message").path("content").asText(null))
                        .setFinishReason(choice.path("finish_reason").asText(null))
                        .build()))
                .setUsage(Usage.newBuilder()
                        .setPromptTokens(usage.path("prompt_tokens").asInt())
                        .setCompletionTokens(usage.path("completion_tokens").asInt())
                        .setTotalTokens(usage.path("total_tokens").asInt())
                        .build())
                .setMetadata(Map.of("provider_ms", Long.toString(now - started)))
                .build();
    }

    private byte[] body(CompletionRequest request) throws IOException {
        ObjectNode body = json.createObjectNode();
        body.put("model", request.getModel());
        ArrayNode messages = body.putArray("messages");
        for (Message m : request.getMessages()) {
            messages.addObject().put("role", m.getRole().toString().toLowerCase(Locale.ROOT))
                    .put("content", String.valueOf(m.getContent()));
        }
        return json.writeValueAsBytes(body);
    }
}
