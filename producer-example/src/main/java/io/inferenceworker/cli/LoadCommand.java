package io.inferenceworker.cli;

import io.inferenceworker.schemas.CompletionRequest;
import io.inferenceworker.schemas.CompletionResult;
import io.inferenceworker.schemas.CompletionStatus;
import io.inferenceworker.schemas.Message;
import io.inferenceworker.schemas.Role;
import io.inferenceworker.serde.SpecificAvroSerializer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code load}: sends {@code --count} jobs at {@code --rate} per second, round-robin over providers and models, and
 * reads their results; prints throughput and end-to-end latency percentiles (send → the result's
 * {@code completed_at}). Single-threaded: sending and reading interleave on one thread.
 */
@Command(name = "load", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        description = {"Sends N jobs at a target rate and reports throughput and latency percentiles.",
                "Jobs go round-robin over --provider and --model; progress is shown every second; latency is "
                        + "end to end, from sending a job to its result's completed_at (p50/p90/p99/max).",
                "Exits 0 when every job SUCCEEDED, 1 when some did not, 3 when results are missing after --timeout."},
        footer = {"%nExamples:", "  producer-example load --count 1000 --rate 50 --provider vultr,nvidia,nscale",
                "  producer-example load -c 200 --rate 0 -p openai -m gpt-4o-mini,gpt-4.1-mini"})
final class LoadCommand extends CliCommand {
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(1);
    private static final Duration MAX_POLL = Duration.ofMillis(100);

    @Option(names = {"-c", "--count"}, paramLabel = "N", defaultValue = "100",
            description = "Jobs. Default: ${DEFAULT-VALUE}")
    int count;

    @Option(names = "--rate", paramLabel = "PER_SECOND", defaultValue = "10",
            description = "Jobs sent per second; 0 sends as fast as possible. Default: ${DEFAULT-VALUE}")
    double rate;

    @Option(names = {"-p", "--provider"}, paramLabel = "NAME", split = ",", required = true,
            description = "Provider instance(s), comma-separated: job i goes to provider i mod count.")
    List<String> providers;

    @Option(names = {"-m", "--model"}, paramLabel = "MODEL", split = ",",
            description = "Model(s), comma-separated: job i uses model i mod count. Default: the instances' own.")
    List<String> models = new ArrayList<>();

    @Option(names = "--prompt", paramLabel = "TEXT", defaultValue = "Write one sentence about Apache Kafka.",
            description = "The user message of every job. Default: ${DEFAULT-VALUE}")
    String prompt;

    @Option(names = "--max-tokens", paramLabel = "N", description = "Maximum tokens per job.")
    Integer maxTokens;

    @Option(names = "--stream", description = "Streamed jobs (chunks are published but not read here).")
    boolean stream;

    @Option(names = "--tenant", paramLabel = "TENANT", description = "Tenant of every job.")
    String tenant;

    @Option(names = {"-t", "--timeout"}, paramLabel = "DURATION", defaultValue = "120s",
            converter = DurationConverter.class,
            description = "How long to wait for results after the last job is sent. Default: ${DEFAULT-VALUE}")
    Duration timeout;

    @Override
    int run() throws Exception {
        if (count < 1 || rate < 0) {
            throw new InputException("--count must be at least 1 and --rate not negative");
        }
        Clock clock = clock();
        KafkaClients clients = clients();
        clients.requireKafka();
        String run = UUID.randomUUID().toString().substring(0, 8);
        LoadProgress progress = new LoadProgress(count);
        AtomicReference<Exception> sendFailure = new AtomicReference<>();
        try (ResultWaiter waiter = ResultWaiter.open(clients, kafka, false, clock);
             SpecificAvroSerializer<CompletionRequest> serializer = clients.serializer();
             KafkaProducer<byte[], byte[]> producer = clients.producer()) {
            // Warm-up outside the measurement: topic metadata, and the schema's registration by the first serialization.
            producer.partitionsFor(kafka.requestsTopic);
            serializer.serialize(kafka.requestsTopic, job(run, 0, clock.instant()));
            Instant start = clock.instant();
            Instant nextReport = start.plus(PROGRESS_EVERY);
            Instant allSent = null;
            while (progress.finished() < count) {
                Instant now = clock.instant();
                while (progress.sent() < count && !now.isBefore(due(start, progress.sent()))) {
                    CompletionRequest job = job(run, progress.sent(), now);
                    producer.send(new ProducerRecord<>(kafka.requestsTopic, job.getJobId().getBytes(StandardCharsets.UTF_8),
                            serializer.serialize(kafka.requestsTopic, job)), (metadata, e) -> {
                                if (e != null) {
                                    sendFailure.compareAndSet(null, e);
                                }
                            });
                    progress.onSent(job.getJobId(), now);
                }
                if (sendFailure.get() != null) {
                    throw sendFailure.get();
                }
                if (allSent == null && progress.sent() == count) {
                    allSent = now;
                    producer.flush();
                }
                if (allSent != null && now.isAfter(allSent.plus(timeout))) {
                    break;
                }
                Duration wait = progress.sent() < count ? clamp(Duration.between(now, due(start, progress.sent())))
                        : MAX_POLL;
                waiter.poll(wait, progress::isPending).forEach(received -> progress.onResult(received.result()));
                if (!clock.instant().isBefore(nextReport)) {
                    err().println(progress.line(Duration.between(start, clock.instant())));
                    err().flush();
                    nextReport = clock.instant().plus(PROGRESS_EVERY);
                }
            }
            Duration elapsed = Duration.between(start, progress.lastResultAt().orElse(clock.instant()));
            report(progress, elapsed);
        }
        if (progress.finished() < count) {
            err().println("error: " + (count - progress.finished()) + " of " + count + " results missing after "
                    + Times.human(timeout));
            return ExitCodes.TIMEOUT;
        }
        return progress.allSucceeded() ? ExitCodes.OK : ExitCodes.JOB_FAILED;
    }

    private CompletionRequest job(String run, int index, Instant now) {
        return CompletionRequest.newBuilder()
                .setJobId("load-" + run + "-" + index)
                .setProvider(providers.get(index % providers.size()))
                .setModel(models.isEmpty() ? null : models.get(index % models.size()))
                .setMessages(List.of(Message.newBuilder().setRole(Role.USER).setContent(prompt).build()))
                .setMaxTokens(maxTokens)
                .setStream(stream)
                .setTenant(tenant)
                .setSubmittedAt(now)
                .setMetadata(Map.of("load_run", run, "load_index", Integer.toString(index)))
                .build();
    }

    private Instant due(Instant start, int index) {
        return rate == 0 ? start : start.plusNanos((long) (index * 1_000_000_000L / rate));
    }

    private void report(LoadProgress progress, Duration elapsed) {
        double seconds = Math.max(elapsed.toMillis(), 1) / 1000.0;
        out().printf("load: %d jobs to %s%s at %s/s%n", count, String.join(",", providers),
                models.isEmpty() ? "" : " (models " + String.join(",", models) + ")",
                rate == 0 ? "max" : String.format("%.1f", rate));
        out().printf("results: %d of %d in %.1f s = %.1f jobs/s; %s%n", progress.finished(), count, seconds,
                progress.finished() / seconds, progress.byStatus());
        out().println("end-to-end latency (send -> completed_at): " + progress.latencies());
        out().flush();
    }

    private static Duration clamp(Duration wait) {
        if (wait.compareTo(Duration.ofMillis(1)) < 0) {
            return Duration.ofMillis(1);
        }
        return wait.compareTo(MAX_POLL) > 0 ? MAX_POLL : wait;
    }

    /** Book-keeping of one load run. Not thread-safe. */
    private static final class LoadProgress {
        private final int count;
        private final Map<String, Instant> pending = new HashMap<>();
        private final List<Long> latencies = new ArrayList<>();
        private final Map<CompletionStatus, Integer> statuses = new EnumMap<>(CompletionStatus.class);
        private int sent;
        private Instant lastResultAt;

        LoadProgress(int count) {
            this.count = count;
        }

        void onSent(String jobId, Instant at) {
            pending.put(jobId, at);
            sent++;
        }

        /** Counts the first result of a job; duplicates (after a worker crash) are ignored. */
        void onResult(CompletionResult result) {
            Instant sentAt = pending.remove(result.getJobId());
            if (sentAt != null) {
                latencies.add(Duration.between(sentAt, result.getCompletedAt()).toMillis());
                statuses.merge(result.getStatus(), 1, Integer::sum);
                lastResultAt = lastResultAt == null || result.getCompletedAt().isAfter(lastResultAt)
                        ? result.getCompletedAt() : lastResultAt;
            }
        }

        boolean isPending(String jobId) {
            return pending.containsKey(jobId);
        }

        int sent() {
            return sent;
        }

        int finished() {
            return latencies.size();
        }

        Optional<Instant> lastResultAt() {
            return Optional.ofNullable(lastResultAt);
        }

        boolean allSucceeded() {
            return statuses.getOrDefault(CompletionStatus.SUCCEEDED, 0) == count;
        }

        LatencyStats latencies() {
            return new LatencyStats(latencies);
        }

        String byStatus() {
            return statuses.isEmpty() ? "no results" : statuses.entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        }

        String line(Duration elapsed) {
            return String.format("  %5.1f s  sent %d/%d  results %d/%d  %s", elapsed.toMillis() / 1000.0, sent, count,
                    finished(), count, statuses.isEmpty() ? "" : "(" + byStatus() + ")");
        }
    }
}
