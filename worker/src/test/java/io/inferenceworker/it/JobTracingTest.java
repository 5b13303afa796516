package io.inferenceworker.it;

import static io.inferenceworker.it.WorkerHarness.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.inferenceworker.schemas.CompletionResult;
import io.inferenceworker.testkit.sim.Behaviour;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * One trace per job, after the messaging and GenAI conventions, exported by the SDK's in-memory exporter from a real
 * worker: the request's trace continues through a {@code process} span, one {@code chat} span per attempt and a
 * {@code send} span; the provider and every output get the trace context; no key and no prompt text in any span; the
 * job's fields and trace IDs in the logging context of its lines.
 */
class JobTracingTest {
    private static final String SECRET = "sk-live-TRACE-SECRET-5e1d";
    private static final String PARENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT_SPAN = "00f067aa0ba902b7";
    private static final String PROMPT = "a prompt no span may carry";

    @Test
    void oneJobWithTwoAttemptsYieldsTheSpanTreeAndEveryOutputCarriesItsContext() {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans))
                        .build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger outcomes = (Logger) LoggerFactory.getLogger("io.inferenceworker.outcomes");
        Level previous = outcomes.getLevel();
        outcomes.setLevel(Level.INFO);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        root.addAppender(logged);
        try (WorkerHarness h = new WorkerHarness("tracing", 1)) {
            String model = h.prefix + "-flaky", plain = h.prefix + "-plain";
            h.stack.simulator().onModel(model, Behaviour.status(503), Behaviour.ok());
            h.start(h.workerProperties(Map.of("providers.sim.api-key", SECRET,
                    "providers.sim.retry.max-attempts", 3)), sdk);
            h.send(request("traced", model, PROMPT).setTenant("acme").setMaxTokens(64).build(),
                    List.of(new RecordHeader("traceparent", ("00-" + PARENT_TRACE + "-" + PARENT_SPAN + "-01")
                            .getBytes(StandardCharsets.UTF_8)),
                            new RecordHeader("tracestate", "vendor=abc".getBytes(StandardCharsets.UTF_8))));
            h.send(request("untraced", plain, PROMPT).build());
            await().atMost(Duration.ofSeconds(60)).until(() -> h.collector(h.results).size() >= 2
                    && spans.getFinishedSpanItems().stream().filter(s -> s.getName().startsWith("process ")).count()
                    >= 2);

            List<SpanData> trace = spans.getFinishedSpanItems().stream()
                    .filter(s -> s.getTraceId().equals(PARENT_TRACE)).toList();
            SpanData process = only(trace, "process " + h.requests);
            assertThat(process.getKind()).isEqualTo(SpanKind.CONSUMER);
            assertThat(process.getParentSpanId()).isEqualTo(PARENT_SPAN);
            assertThat(process.getSpanContext().getTraceState().get("vendor")).isEqualTo("abc");
            assertThat(attr(process, "messaging.system")).isEqualTo("kafka");
            assertThat(attr(process, "messaging.destination.name")).isEqualTo(h.requests);
            assertThat(attr(process, "inference.job.id")).isEqualTo("traced");
            assertThat(attr(process, "inference.tenant")).isEqualTo("acme");
            assertThat(attr(process, "inference.job.status")).isEqualTo("succeeded");
            assertThat(process.getAttributes().get(AttributeKey.doubleKey("inference.queue.duration")))
                    .isGreaterThanOrEqualTo(0.0);

            List<SpanData> chats = trace.stream().filter(s -> s.getName().equals("chat " + model))
                    .sorted(java.util.Comparator.comparing(s -> s.getAttributes()
                            .get(AttributeKey.longKey("inference.attempt"))))
                    .toList();
            assertThat(chats).hasSize(2).allSatisfy(chat -> {
                assertThat(chat.getKind()).isEqualTo(SpanKind.CLIENT);
                assertThat(chat.getParentSpanId()).isEqualTo(process.getSpanId());
                assertThat(attr(chat, "gen_ai.operation.name")).isEqualTo("chat");
                assertThat(attr(chat, "gen_ai.provider.name")).isEqualTo("openai");
                assertThat(attr(chat, "gen_ai.request.model")).isEqualTo(model);
                assertThat(chat.getAttributes().get(AttributeKey.longKey("gen_ai.request.max_tokens"))).isEqualTo(64);
            });
            SpanData failed = chats.get(0), answered = chats.get(1);
            assertThat(failed.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            assertThat(failed.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(503);
            assertThat(attr(failed, "error.type")).isNotBlank();
            assertThat(attr(answered, "inference.retry.reason")).isEqualTo(attr(failed, "error.type"));
            assertThat(answered.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
            assertThat(attr(answered, "gen_ai.response.id")).isNotBlank();
            assertThat(answered.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens"))).isPositive();
            assertThat(answered.getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens"))).isPositive();
            assertThat(answered.getAttributes().get(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons")))
                    .containsExactly("stop");

            SpanData send = only(trace, "send " + h.results);
            assertThat(send.getKind()).isEqualTo(SpanKind.PRODUCER);
            assertThat(send.getParentSpanId()).isEqualTo(process.getSpanId());

            // the provider got each attempt's context; the outputs got the send span's, tracestate kept
            var calls = h.stack.simulator().requestsForModel(model);
            assertThat(calls).hasSize(2);
            for (int i = 0; i < 2; i++) {
                assertThat(calls.get(i).header("traceparent"))
                        .contains("00-" + PARENT_TRACE + "-" + chats.get(i).getSpanId() + "-01");
            }
            ConsumerRecord<byte[], byte[]> result = resultOf(h, "traced");
            assertThat(header(result, "traceparent")).isEqualTo("00-" + PARENT_TRACE + "-" + send.getSpanId() + "-01");
            assertThat(header(result, "tracestate")).isEqualTo("vendor=abc");

            // a request without trace context starts a trace of its own, which its result carries
            SpanData root2 = spans.getFinishedSpanItems().stream()
                    .filter(s -> "untraced".equals(attr(s, "inference.job.id"))).findFirst().orElseThrow();
            assertThat(root2.getParentSpanContext().isValid()).isFalse();
            assertThat(header(resultOf(h, "untraced"), "traceparent")).startsWith("00-" + root2.getTraceId() + "-");

            // no key and, without tracing.include-content, no prompt or completion in any span
            assertThat(spans.getFinishedSpanItems()).allSatisfy(s -> {
                assertThat(s.getAttributes().toString()).doesNotContain(SECRET).doesNotContain(PROMPT);
                assertThat(s.getStatus().getDescription()).doesNotContain(SECRET);
                assertThat(s.getEvents().toString()).doesNotContain(SECRET);
            });

            // the job's outcome line carries the job's fields and trace IDs
            ILoggingEvent outcome = logged.list.stream()
                    .filter(e -> e.getLoggerName().equals("io.inferenceworker.outcomes"))
                    .filter(e -> e.getFormattedMessage().startsWith("job=traced ")).findFirst().orElseThrow();
            assertThat(outcome.getMDCPropertyMap()).containsEntry("job_id", "traced")
                    .containsEntry("tenant", "acme").containsEntry("provider", "sim").containsEntry("model", model)
                    .containsEntry("trace_id", PARENT_TRACE).containsEntry("span_id", process.getSpanId());
        } finally {
            root.detachAppender(logged);
            outcomes.setLevel(previous);
        }
    }

    @Test
    void withTracingOffTheRequestsTraceContextTravelsUnchanged() {
        try (WorkerHarness h = new WorkerHarness("tracing-off", 1)) {
            String model = h.prefix + "-m";
            String traceparent = "00-" + PARENT_TRACE + "-" + PARENT_SPAN + "-01";
            h.startWorker(Map.of("tracing.enabled", "false"));
            h.send(request("off", model, PROMPT).build(),
                    List.of(new RecordHeader("traceparent", traceparent.getBytes(StandardCharsets.UTF_8)),
                            new RecordHeader("tracestate", "vendor=abc".getBytes(StandardCharsets.UTF_8))));
            await().atMost(Duration.ofSeconds(60)).until(() -> h.collector(h.results).size() >= 1);
            ConsumerRecord<byte[], byte[]> result = resultOf(h, "off");
            assertThat(header(result, "traceparent")).isEqualTo(traceparent);
            assertThat(header(result, "tracestate")).isEqualTo("vendor=abc");
            assertThat(h.stack.simulator().requestsForModel(model).get(0).header("traceparent")).contains(traceparent);
        }
    }

    private static SpanData only(List<SpanData> spans, String name) {
        List<SpanData> named = spans.stream().filter(s -> s.getName().equals(name)).toList();
        assertThat(named).as("spans named %s", name).hasSize(1);
        return named.get(0);
    }

    private static String attr(SpanData span, String key) {
        return span.getAttributes().get(AttributeKey.stringKey(key));
    }

    private static ConsumerRecord<byte[], byte[]> resultOf(WorkerHarness h, String jobId) {
        return h.collector(h.results).records().stream()
                .filter(r -> ((CompletionResult) h.decode(h.results, r)).getJobId().equals(jobId))
                .findFirst().orElseThrow();
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header header = r.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
