package io.inferenceworker.job;

import io.inferenceworker.provider.ChatReply;
import io.inferenceworker.provider.guard.Guarded;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * {@link JobTracing#FORWARD}: the request's {@code traceparent} goes to the provider, and its {@code traceparent} and
 * {@code tracestate} to every output, unchanged. Records nothing.
 */
final class ForwardingTrace implements JobTrace {
    static final String TRACESTATE = "tracestate";
    private final RequestRecord record;

    ForwardingTrace(RequestRecord record) {
        this.record = record;
    }

    @Override
    public void decoded(Job job) {
    }

    @Override
    public Optional<String> attemptStarted(int attempt, String instance, String dialect, String model) {
        return header(Job.TRACEPARENT).map(value -> new String(value, StandardCharsets.UTF_8));
    }

    @Override
    public void attemptEnded(Guarded<ChatReply> outcome) {
    }

    @Override
    public void publishing(String topic) {
    }

    @Override
    public Headers outputHeaders() {
        Headers headers = new RecordHeaders();
        header(Job.TRACEPARENT).ifPresent(value -> headers.add(Job.TRACEPARENT, value));
        header(TRACESTATE).ifPresent(value -> headers.add(TRACESTATE, value));
        return headers;
    }

    @Override
    public void ended(String status, Optional<String> error) {
    }

    @Override
    public void close() {
    }

    private Optional<byte[]> header(String name) {
        Header header = record.raw().headers().lastHeader(name);
        return header == null ? Optional.empty() : Optional.ofNullable(header.value());
    }
}
