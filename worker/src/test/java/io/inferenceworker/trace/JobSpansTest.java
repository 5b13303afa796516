package io.inferenceworker.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferenceworker.job.Job;
import io.inferenceworker.job.RequestRecord;
import io.inferenceworker.provider.ChatReply;
import io.inferenceworker.provider.ProviderException;
import io.inferenceworker.provider.guard.Guarded;
import io.inferenceworker.schemas.Choice;
import io.inferenceworker.schemas.CompletionRequest;
import io.inferenceworker.schemas.Message;
import io.inferenceworker.schemas.Role;
import io.inferenceworker.schemas.Usage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** A job's spans as {@link JobSpans} makes them: deferrals, retry reasons, queue time, content only when asked. */
class JobSpansTest {
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private static final String PROMPT = "what is the capital of France";
    private static final String ANSWER = "Paris";

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final SdkTracerProvider tracers = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(spans)).build();

    @Test
    void aDeferredTryRecordsItsWaitAndTheNextTryItsReason() {
        try (JobSpans trace = start(false)) {
            trace.decoded(job());
            Optional<String> first = trace.attemptStarted(1, "sim", "openai", "m");
            assertThat(MDC.get(LogContext.JOB_ID)).isEqualTo("job-1");
            assertThat(MDC.get(LogContext.SPAN_ID)).isEqualTo(first.orElseThrow().substring(36, 52));
            trace.attemptEnded(new Guarded.Deferred<>(Guarded.CIRCUIT_OPEN, "breaker open", Duration.ofSeconds(2),
                    new ProviderException.Context("job-1", "sim", 1), Optional.empty()));
            trace.attemptStarted(2, "sim", "openai", "m");
            trace.attemptEnded(new Guarded.Answered<>(reply()));
            trace.publishing("results");
            Headers headers = trace.outputHeaders();
            trace.ended("succeeded", Optional.empty());

            List<SpanData> chats = spans.getFinishedSpanItems().stream()
                    .filter(s -> s.getName().equals("chat m")).toList();
            assertThat(chats).hasSize(2);
            assertThat(chats.get(0).getAttributes().get(GenAiAttributes.DEFERRED)).isEqualTo("circuit_open");
            assertThat(chats.get(0).getAttributes().get(GenAiAttributes.WAIT_SECONDS)).isEqualTo(2.0);
            assertThat(chats.get(1).getAttributes().get(GenAiAttributes.RETRY_REASON)).isEqualTo("circuit_open");
            assertThat(chats.get(1).getAttributes().get(GenAiAttributes.RESPONSE_MODEL)).isEqualTo("m-2026");
            SpanData process = spans.getFinishedSpanItems().stream()
                    .filter(s -> s.getName().equals("process requests")).findFirst().orElseThrow();
            // the record was written 1.5 s before the job started
            assertThat(process.getAttributes().get(GenAiAttributes.QUEUE_SECONDS)).isEqualTo(1.5);
            SpanData send = spans.getFinishedSpanItems().stream()
                    .filter(s -> s.getName().equals("send results")).findFirst().orElseThrow();
            assertThat(new String(headers.lastHeader("traceparent").value(), StandardCharsets.UTF_8))
                    .contains(send.getSpanId());
            assertThat(spans.getFinishedSpanItems()).allSatisfy(s ->
                    assertThat(s.getAttributes().toString()).doesNotContain(PROMPT).doesNotContain(ANSWER));
        }
        assertThat(MDC.get(LogContext.JOB_ID)).isNull();
        assertThat(MDC.get(LogContext.TRACE_ID)).isNull();
    }

    @Test
    void contentGoesIntoTheChatSpansOnlyWhenIncluded() {
        try (JobSpans trace = start(true)) {
            trace.decoded(job());
            trace.attemptStarted(1, "sim", "openai", "m");
            trace.attemptEnded(new Guarded.Answered<>(reply()));
            trace.ended("succeeded", Optional.empty());
        }
        SpanData chat = spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals("chat m"))
                .findFirst().orElseThrow();
        assertThat(chat.getAttributes().get(GenAiAttributes.INPUT_MESSAGES)).contains(PROMPT);
        assertThat(chat.getAttributes().get(GenAiAttributes.OUTPUT_MESSAGES)).contains(ANSWER);
    }

    @Test
    void aJobThatNeverEndsIsClosedAsAbandoned() {
        JobSpans trace = start(false);
        trace.decoded(job());
        trace.attemptStarted(1, "sim", "openai", "m");
        trace.close();
        assertThat(spans.getFinishedSpanItems()).hasSize(2);
        assertThat(spans.getFinishedSpanItems().stream().filter(s -> s.getName().startsWith("process")).findFirst()
                .orElseThrow().getAttributes().get(AttributeKey.stringKey("inference.job.status")))
                .isEqualTo("abandoned");
    }

    private JobSpans start(boolean includeContent) {
        ConsumerRecord<byte[], byte[]> raw = new ConsumerRecord<>("requests", 3, 42L,
                NOW.minusMillis(1500).toEpochMilli(), TimestampType.CREATE_TIME, 5, 10, "job-1".getBytes(),
                new byte[10], new org.apache.kafka.common.header.internals.RecordHeaders(), Optional.empty());
        return JobSpans.start(tracers.get("test"), W3CTraceContextPropagator.getInstance(),
                new RequestRecord(raw, "group", NOW), includeContent, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static Job job() {
        CompletionRequest request = CompletionRequest.newBuilder().setJobId("job-1").setProvider("sim").setModel("m")
                .setTenant("acme")
                .setMessages(List.of(Message.newBuilder().setRole(Role.USER).setContent(PROMPT).build())).build();
        ConsumerRecord<byte[], byte[]> raw = new ConsumerRecord<>("requests", 3, 42L, new byte[0], new byte[0]);
        return new Job(request, new RequestRecord(raw, "group", NOW));
    }

    private static ChatReply reply() {
        return new ChatReply("chatcmpl-1", "m-2026", List.of(Choice.newBuilder().setIndex(0).setRole("assistant")
                .setContent(ANSWER).setFinishReason("stop").build()),
                Usage.newBuilder().setPromptTokens(7).setCompletionTokens(1).setTotalTokens(8).build(), "req-1");
    }
}
