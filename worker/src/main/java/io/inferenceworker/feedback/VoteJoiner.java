package io.inferenceworker.feedback;

import io.inferenceworker.schemas.VoteRecord;
import io.inferenceworker.schemas.VoteRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins votes with their jobs, one task (partition) at a time; see {@link VotesTopology} for the whole flow.
 *
 * <p>A vote is kept in the pending-votes store from its arrival until its VoteRecord (or dead letter) is emitted,
 * keyed by job ID, so a newer vote on the same job replaces one not yet emitted. It is <em>resolved</em> (forwarded
 * by the {@link VoteForwarder}) as soon as both it and its job's facts are known: on its arrival when the jobs table
 * has the job, else when the job's result arrives. A resolution that needs a provider call runs on a virtual thread;
 * a wall-clock punctuation every {@value #COMPLETION_POLL_MILLIS} ms emits the VoteRecords of finished calls, from
 * the stream thread, and only then deletes the pending vote. A second, slower punctuation (a tenth of the wait
 * window, between 100 ms and 5 s) dead-letters votes that waited longer than the window for a result, and resolves
 * pending votes that are known but not in flight: those a previous owner of the partition had started when it
 * stopped or crashed. That sweep reads the whole pending store, which holds only votes waiting for a result or a
 * provider call.
 *
 * <p>At most one provider call per job is in flight: a vote arriving meanwhile waits in the store and is resolved
 * when the earlier call finishes, so the provider sees votes in order and ends with the newest.
 *
 * <p>Not thread-safe: Kafka Streams calls it from its task's stream thread only.
 */
final class VoteJoiner implements Processor<String, VoteEvent, String, VoteOutput> {
    static final long COMPLETION_POLL_MILLIS = 100;
    private static final Logger LOG = LoggerFactory.getLogger(VoteJoiner.class);
    private static final String TRACEPARENT = "traceparent";

    /** A resolution whose provider call may still run. */
    private record InFlight(PendingVote vote, VoteRequest request, JobFacts facts, Future<ForwardOutcome> outcome) {
    }

    private final VoteDecoder decoder;
    private final VoteForwarder forwarder;
    private final VoteRecords records;
    private final VoteDeadLetters deadLetters;
    private final Clock clock;
    private final Duration waitWindow;
    private final Map<String, InFlight> inFlight = new HashMap<>();
    private ProcessorContext<String, VoteOutput> context;
    private KeyValueStore<String, PendingVote> pending;
    private KeyValueStore<String, ValueAndTimestamp<JobFacts>> jobs;

    VoteJoiner(VoteDecoder decoder, VoteForwarder forwarder, VoteRecords records, VoteDeadLetters deadLetters,
               Clock clock, Duration waitWindow) {
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        this.forwarder = Objects.requireNonNull(forwarder, "forwarder");
        this.records = Objects.requireNonNull(records, "records");
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.waitWindow = Objects.requireNonNull(waitWindow, "waitWindow");
    }

    @Override
    public void init(ProcessorContext<String, VoteOutput> context) {
        this.context = context;
        this.pending = context.getStateStore(VotesTopology.PENDING_STORE);
        this.jobs = context.getStateStore(VotesTopology.JOBS_STORE);
        context.schedule(Duration.ofMillis(COMPLETION_POLL_MILLIS), PunctuationType.WALL_CLOCK_TIME,
                now -> emitFinished());
        context.schedule(sweepInterval(waitWindow), PunctuationType.WALL_CLOCK_TIME, now -> sweep());
    }

    static Duration sweepInterval(Duration waitWindow) {
        long tenth = waitWindow.toMillis() / 10;
        return Duration.ofMillis(Math.clamp(tenth, 100L, 5_000L));
    }

    @Override
    public void process(Record<String, VoteEvent> record) {
        switch (record.value()) {
            case VoteEvent.Arrived arrived -> onVote(record, arrived);
            case VoteEvent.Settled settled -> onResult(record.key(), settled.facts());
        }
    }

    private void onVote(Record<String, VoteEvent> record, VoteEvent.Arrived arrived) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        PendingVote vote = new PendingVote(source.topic(), source.partition(), source.offset(), record.timestamp(),
                arrived.key(), arrived.value(), PendingVote.entries(record.headers()), clock.millis());
        switch (decoder.decode(vote.topic(), vote.key(), vote.value())) {
            case VoteDecoder.Rejected why -> {
                LOG.warn("Vote request at {} dead-lettered: {}", vote, why.message());
                emit(record.key(), deadLetters.rejected(vote, why, record.key()));
            }
            case VoteDecoder.Decoded decoded -> {
                String jobId = decoded.vote().getJobId();
                PendingVote earlier = pending.get(jobId);
                if (earlier != null) {
                    LOG.debug("Vote at {} on job {} replaces the vote at {}", vote, jobId, earlier);
                }
                pending.put(jobId, vote);
                JobFacts facts = factsOf(jobId);
                if (facts == null) {
                    LOG.debug("Vote on job {} waits up to {} for the job's result", jobId, waitWindow);
                } else if (!inFlight.containsKey(jobId)) {
                    start(jobId, vote, decoded.vote(), facts);
                }
            }
        }
    }

    private void onResult(String jobId, JobFacts facts) {
        if (jobId == null || inFlight.containsKey(jobId)) {
            return;
        }
        PendingVote vote = pending.get(jobId);
        if (vote != null) {
            resolve(jobId, vote, facts);
        }
    }

    /** Resolves a stored vote: it decoded once, so only a registry outage (thrown) or a lost schema stops it. */
    private void resolve(String jobId, PendingVote vote, JobFacts facts) {
        switch (decoder.decode(vote.topic(), vote.key(), vote.value())) {
            case VoteDecoder.Decoded decoded -> start(jobId, vote, decoded.vote(), facts);
            case VoteDecoder.Rejected why -> {
                LOG.warn("Pending vote at {} can no longer be decoded, dead-lettered: {}", vote, why.message());
                pending.delete(jobId);
                emit(jobId, deadLetters.rejected(vote, why, jobId));
            }
        }
    }

    private void start(String jobId, PendingVote vote, VoteRequest request, JobFacts facts) {
        InFlight flight = new InFlight(vote, request, facts, forwarder.forward(jobId, facts, request.getVote()));
        if (flight.outcome().isDone()) {
            finish(jobId, flight);
        } else {
            inFlight.put(jobId, flight);
        }
    }

    private void emitFinished() {
        List<Map.Entry<String, InFlight>> done = inFlight.entrySet().stream()
                .filter(e -> e.getValue().outcome().isDone()).toList();
        for (Map.Entry<String, InFlight> e : done) {
            inFlight.remove(e.getKey());
            finish(e.getKey(), e.getValue());
        }
    }

    /** Emits the vote record, then forgets the vote, or starts the newer vote that arrived meanwhile. */
    private void finish(String jobId, InFlight flight) {
        ForwardOutcome outcome = outcomeOf(flight.outcome());
        VoteRecord record = records.of(flight.request(), flight.vote().timestamp(), flight.facts(), outcome);
        Headers headers = new RecordHeaders();
        flight.vote().header(TRACEPARENT)
                .ifPresent(tp -> headers.add(TRACEPARENT, tp.getBytes(StandardCharsets.UTF_8)));
        context.forward(new Record<>(jobId, new VoteOutput.Recorded(record), clock.millis(), headers));
        LOG.info("vote job={} vote={} provider={} job_status={} forward_status={} attempts={}{}", jobId,
                record.getVote(), record.getProvider(), record.getJobStatus(), record.getForwardStatus(),
                record.getForwardAttempts(), outcome.detail() == null ? "" : " detail=\"" + outcome.detail() + "\"");
        PendingVote current = pending.get(jobId);
        if (flight.vote().sameRecordAs(current)) {
            pending.delete(jobId);
        } else if (current != null) {
            JobFacts facts = factsOf(jobId);
            if (facts != null) {
                resolve(jobId, current, facts);
            }
        }
    }

    /** Dead-letters votes that waited too long; resolves known votes not in flight (left by a previous owner). */
    private void sweep() {
        List<KeyValue<String, PendingVote>> all = new ArrayList<>();
        try (KeyValueIterator<String, PendingVote> it = pending.all()) {
            it.forEachRemaining(all::add);
        }
        long now = clock.millis();
        for (KeyValue<String, PendingVote> entry : all) {
            String jobId = entry.key;
            if (inFlight.containsKey(jobId)) {
                continue;
            }
            JobFacts facts = factsOf(jobId);
            if (facts != null) {
                resolve(jobId, entry.value, facts);
            } else if (now - entry.value.arrivedAt() >= waitWindow.toMillis()) {
                LOG.warn("Vote at {} on job {} dead-lettered: no result of the job within {}", entry.value, jobId,
                        waitWindow);
                pending.delete(jobId);
                emit(jobId, deadLetters.unknownJob(entry.value, jobId, waitWindow));
            }
        }
    }

    private JobFacts factsOf(String jobId) {
        ValueAndTimestamp<JobFacts> facts = jobs.get(jobId);
        return facts == null ? null : facts.value();
    }

    private void emit(String key, ProducerRecord<byte[], byte[]> letter) {
        context.forward(new Record<>(key, new VoteOutput.DeadLetter(letter), clock.millis(), letter.headers()));
    }

    private static ForwardOutcome outcomeOf(Future<ForwardOutcome> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            return new ForwardOutcome.Failed(0, "internal error: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ForwardOutcome.Failed(0, "interrupted");
        }
    }

    /** Interrupts this task's provider calls; their votes stay pending, and the partition's next owner redoes them. */
    @Override
    public void close() {
        inFlight.values().forEach(f -> f.outcome().cancel(true));
        inFlight.clear();
    }
}
