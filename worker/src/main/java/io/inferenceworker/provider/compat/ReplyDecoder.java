package io.inferenceworker.provider.compat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inferenceworker.provider.ChatReply;
import io.inferenceworker.provider.DeltaSink;
import io.inferenceworker.provider.ProviderException;
import io.inferenceworker.provider.compat.OpenAiJson.ChatChunk;
import io.inferenceworker.provider.compat.OpenAiJson.ChatCompletion;
import io.inferenceworker.provider.transport.HttpCall;
import io.inferenceworker.provider.transport.HttpReply;
import io.inferenceworker.provider.transport.HttpStream;
import io.inferenceworker.provider.transport.PendingReplyResolver;
import io.inferenceworker.provider.transport.ProviderTransport;
import io.inferenceworker.provider.transport.SseEvent;
import io.inferenceworker.provider.transport.SseReader;
import java.util.Objects;
import java.util.Optional;

/**
 * The reply side of the OpenAI-compatible exchange: sends an encoded call and reads its answer, one JSON body
 * ({@link #once}, after the {@linkplain PendingReplyResolver pending-reply resolver}) or a stream of server-sent
 * events ({@link #stream}: chunks to {@link StreamAssembler} until {@code [DONE]}), mapped by
 * {@link OpenAiReplyMapper}. If a server ignores {@code stream: true} and answers with JSON, that answer is used and
 * replayed to the sink as one delta per choice. Every failure is built by the {@link ErrorClassifier} with the
 * dialect's {@link StatusPolicy}. Immutable and thread-safe.
 */
final class ReplyDecoder {
    private final ProviderTransport transport;
    private final PendingReplyResolver pendingReplies;
    private final StatusPolicy statuses;
    private final ErrorClassifier errors;
    private final ObjectMapper json;

    ReplyDecoder(ProviderTransport transport, PendingReplyResolver pendingReplies, StatusPolicy statuses,
                 ErrorClassifier errors, ObjectMapper json) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.pendingReplies = Objects.requireNonNull(pendingReplies, "pendingReplies");
        this.statuses = Objects.requireNonNull(statuses, "statuses");
        this.errors = Objects.requireNonNull(errors, "errors");
        this.json = Objects.requireNonNull(json, "json");
    }

    /** Sends {@code http} and reads one JSON answer. */
    ChatReply once(HttpCall http, String model) {
        HttpReply reply = pendingReplies.resolve(http, transport.send(http));
        if (!statuses.isSuccess(reply.status())) {
            throw errors.httpError(http.context(), statuses, reply.status(), reply.headers(), reply.body());
        }
        return parseReply(http.context(), reply.status(), reply.body(), reply.requestId().orElse(null), model);
    }

    /** Sends {@code http} and reads its event stream, passing every delta to {@code sink}. */
    ChatReply stream(HttpCall http, String model, DeltaSink sink) {
        ProviderException.Context context = http.context();
        try (HttpStream stream = transport.open(http)) {
            int status = stream.status();
            String requestId = stream.requestId().orElse(null);
            if (!statuses.isSuccess(status)) {
                throw errors.httpError(context, statuses, status, stream.headers(),
                        stream.readPrefix(ErrorClassifier.MAX_ERROR_BODY_CHARS));
            }
            if (ErrorClassifier.isJson(stream.headers())) {
                ChatReply reply = parseReply(context, status, stream.readBody(), requestId, model);
                StreamAssembler.replay(reply, sink);
                return reply;
            }
            StreamAssembler assembler = new StreamAssembler(sink);
            SseReader events = new SseReader(stream::readLine, ProviderTransport.DEFAULT_MAX_BODY_CHARS);
            while (true) {
                SseEvent event = next(events, context, status, requestId)
                        .orElseThrow(() -> errors.streamEnded(context, status, requestId));
                if (event.isDone()) {
                    return assembler.reply(requestId, model);
                }
                if (event.isError()) {
                    throw errors.inAnswer(context, statuses, status, requestId, event.data());
                }
                if (!event.data().isBlank()) {
                    assembler.accept(chunk(context, status, requestId, event.data()));
                }
            }
        }
    }

    private Optional<SseEvent> next(SseReader events, ProviderException.Context context, int status,
                                    String requestId) {
        try {
            return events.next();
        } catch (IllegalStateException e) {
            throw errors.malformed(context, status, requestId, e.getMessage(), null);
        }
    }

    private ChatChunk chunk(ProviderException.Context context, int status, String requestId, String data) {
        String what = "stream event is not a valid chunk";
        JsonNode tree = readTree(context, status, requestId, data, what);
        if (tree != null && tree.isObject() && tree.hasNonNull("error")) {
            throw errors.inAnswer(context, statuses, status, requestId, data);
        }
        return convert(context, status, requestId, tree, ChatChunk.class, what);
    }

    private ChatReply parseReply(ProviderException.Context context, int status, String body, String requestId,
                                 String model) {
        String what = "answer is not valid JSON";
        JsonNode tree = readTree(context, status, requestId, body, what);
        if (tree != null && tree.isObject() && tree.hasNonNull("error") && !tree.has("choices")) {
            throw errors.inAnswer(context, statuses, status, requestId, body);
        }
        ChatCompletion completion = convert(context, status, requestId, tree, ChatCompletion.class, what);
        try {
            return OpenAiReplyMapper.toReply(completion, requestId, model);
        } catch (IllegalArgumentException e) {
            throw errors.malformed(context, status, requestId, e.getMessage(), null);
        }
    }

    /** {@code data} parsed; not JSON is a malformed answer ({@code what}). */
    private JsonNode readTree(ProviderException.Context context, int status, String requestId, String data,
                              String what) {
        try {
            return json.readTree(data);
        } catch (JsonProcessingException e) {
            throw errors.malformed(context, status, requestId, what, e);
        }
    }

    /** {@code tree} as {@code type}; a tree that does not fit is a malformed answer ({@code what}). */
    private <T> T convert(ProviderException.Context context, int status, String requestId, JsonNode tree,
                          Class<T> type, String what) {
        try {
            return json.treeToValue(tree, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw errors.malformed(context, status, requestId, what, e);
        }
    }
}
