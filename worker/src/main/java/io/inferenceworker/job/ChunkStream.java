package io.inferenceworker.job;

import io.inferenceworker.provider.ChatReply;
import io.inferenceworker.provider.Delta;
import io.inferenceworker.provider.DeltaSink;
import io.inferenceworker.schemas.Choice;
import io.inferenceworker.schemas.CompletionChunk;
import io.inferenceworker.schemas.ToolCall;
import io.inferenceworker.schemas.ToolCallDelta;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Headers;

/**
 * Publishes a streaming job's deltas as {@code CompletionChunk} records keyed by job ID.
 *
 * <p>Each provider attempt numbers its chunks from 0 and stamps them with its attempt number, so after a retry a
 * consumer sees {@code attempt} go up and {@code sequence} restart, and discards the earlier attempt's chunks; the
 * result's {@code stream_attempt} names the attempt whose chunks make up the answer. A successful stream ends with a
 * chunk flagged {@code last}. A provider that could not stream yields one chunk per choice with the whole answer.
 *
 * <p>Each chunk is re-sent on its own after a transient failure ({@link OutputSender}), so a re-sent chunk may land
 * after later ones: consumers order a job's chunks by {@code attempt} and {@code sequence}.
 *
 * <p>Confined to the job's thread, except that the publish futures complete on the producer's thread.
 */
final class ChunkStream {
    private final Job job;
    private final OutputSender sender;
    private final String topic;
    private final Headers headers;
    private final Clock clock;
    private final List<OutputSender.Sent> sent = new ArrayList<>();
    private int attempt;
    private long sequence;

    ChunkStream(Job job, OutputSender sender, String topic, Headers headers, Clock clock) {
        this.job = job;
        this.sender = sender;
        this.topic = topic;
        this.headers = headers;
        this.clock = clock;
    }

    /** The sink for one attempt; numbering restarts. */
    DeltaSink forAttempt(int attemptNumber) {
        this.attempt = attemptNumber;
        this.sequence = 0;
        return this::publish;
    }

    private void publish(Delta delta) {
        if (delta.isEmpty()) {
            return;
        }
        send(chunk(delta.choiceIndex(), false)
                .setRole(delta.role())
                .setContentDelta(delta.content())
                .setReasoningDelta(delta.reasoning())
                .setToolCallDeltas(delta.toolCalls().isEmpty() ? null : delta.toolCalls())
                .setFinishReason(delta.finishReason())
                .build());
    }

    /** Ends the stream of the successful attempt. */
    void finish(ChatReply reply) {
        List<Choice> choices = reply.choices();
        if (sequence == 0) {
            for (int i = 0; i < choices.size(); i++) {
                Choice c = choices.get(i);
                send(chunk(c.getIndex(), i == choices.size() - 1)
                        .setRole(c.getRole())
                        .setContentDelta(c.getContent())
                        .setReasoningDelta(c.getReasoningContent())
                        .setToolCallDeltas(wholeToolCalls(c.getToolCalls()))
                        .setFinishReason(c.getFinishReason())
                        .build());
            }
            if (!choices.isEmpty()) {
                return;
            }
        }
        String finish = choices.isEmpty() ? null : choices.get(0).getFinishReason();
        send(chunk(0, true).setFinishReason(finish).build());
    }

    /** Every chunk sent so far, each acknowledged or failed on its own. */
    List<OutputSender.Sent> sent() {
        return List.copyOf(sent);
    }

    private CompletionChunk.Builder chunk(int choiceIndex, boolean last) {
        return CompletionChunk.newBuilder()
                .setJobId(job.id())
                .setAttempt(attempt)
                .setSequence(sequence++)
                .setChoiceIndex(choiceIndex)
                .setLast(last)
                .setCreatedAt(clock.instant())
                .setMetadata(job.request().getMetadata());
    }

    private void send(CompletionChunk chunk) {
        sent.add(sender.send("chunk " + chunk.getSequence() + " of attempt " + chunk.getAttempt(), topic, job.id(),
                chunk, headers));
    }

    private static List<ToolCallDelta> wholeToolCalls(List<ToolCall> calls) {
        if (calls == null || calls.isEmpty()) {
            return null;
        }
        List<ToolCallDelta> deltas = new ArrayList<>(calls.size());
        for (int i = 0; i < calls.size(); i++) {
            ToolCall call = calls.get(i);
            deltas.add(new ToolCallDelta(i, call.getId(), call.getType(), call.getName(), call.getArguments()));
        }
        return deltas;
    }
}
