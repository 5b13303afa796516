package io.inferenceworker.feedback;

import io.inferenceworker.schemas.VoteRecord;
import io.inferenceworker.schemas.VoteRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins votes with their jobs, one task (partition) at a time; see {@link VotesTopology} for the whole flow.
 *
 * <p>Every vote is kept in the pending-votes store ({@link PendingVotes}: one entry per vote, never one per job)
 * from its arrival until its VoteRecord (or dead letter) is emitted, so no vote ever replaces another: several
 * users may rate the same completion, and each vote ends in exactly one VoteRecord or one dead letter. A job's
 * votes are <em>resolved</em> (forwarded by the {@link VoteForwarder}) one at a time, in arrival order, as soon as
 * the job's facts are known: on a vote's arrival when the jobs table has the job, else when the job's result
 * arrives. A resolution that needs a provider call runs on a virtual thread; a wall-clock punctuation every
 * {@value #COMPLETION_POLL_MILLIS} ms emits the VoteRecords of finished calls, from the stream thread, only then
 * deletes the vote from the store, and starts the job's next vote. A second, slower punctuation (a tenth of the wait
 * window, between 100 ms and 5 s) dead-letters each vote that waited longer than the window for a result, and
 * resolves pending votes that are known but not in flight: those a previous owner of the partition had started when
 * it stopped or crashed. That sweep reads the whole pending store, which holds only votes waiting for a result or a
 * provider call. A third punctuation expires job facts older than {@code votes.job-retention} ({@link JobTable}).
 *
 * <p>At most one provider call per job is in flight: votes arriving meanwhile wait in the store and are resolved
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
    private final ResultFacts resultFacts;
    private final VoteForwarder forwarder;
    private final VoteRecords records;
    private final VoteDeadLetters deadLetters;
    private final Clock clock;
    private final Duration waitWindow;
    private final Duration jobRetention;
    private final Map<String, InFlight> inFlight = new HashMap<>();
    private ProcessorContext<String, VoteOutput> context;
    private PendingVotes pending;
    private JobTable jobs;

    VoteJoiner(VoteDecoder decoder, ResultFacts resultFacts, VoteForwarder forwarder, VoteRecords records,
               VoteDeadLetters deadLetters, Clock clock, Duration waitWindow, Duration jobRetention) {
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        this.resultFacts = Objects.requireNonNull(resultFacts, "resultFacts");
        this.forwarder = Objects.requireNonNull(forwarder, "forwarder");
        this.records = Objects.requireNonNull(records, "records");
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.waitWindow = Objects.requireNonNull(waitWindow, "waitWindow");
        this.jobRetention = Objects.requireNonNull(jobRetention, "jobRetention");
    }

    @Override
    public void init(ProcessorContext<String, VoteOutput> context) {
        this.context = context;
        this.pending = new PendingVotes(context.getStateStore(VotesTopology.PENDING_STORE));
        this.jobs = new JobTable(context.getStateStore(VotesTopology.JOBS_STORE), jobRetention, resultFacts);
        context.schedule(Duration.ofMillis(COMPLETION_POLL_MILLIS), PunctuationType.WALL_CLOCK_TIME,
                now -> emitFinished());
        context.schedule(sweepInterval(waitWindow), PunctuationType.WALL_CLOCK_TIME, now -> sweep());
        context.schedule(JobTable.expiryInterval(jobRetention), PunctuationType.WALL_CLOCK_TIME,
                now -> expireJobs());
    }

    static Duration sweepInterval(Duration waitWindow) {
        long tenth = waitWindow.toMillis() / 10;
        return Duration.ofMillis(Math.clamp(tenth, 100L, 5_000L));
    }

    @Override
    public void process(Record<String, VoteEvent> record) {
        switch (record.value()) {
            case VoteEvent.Arrived arrived -> onVote(record, arrived);
            case VoteEvent.Settled settled -> onResult(record.key(), record.timestamp());
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
                pending.add(jobId, vote);
                if (inFlight.containsKey(jobId)) {
                    LOG.debug("Vote at {} on job {} waits for the job's earlier vote to be forwarded", vote, jobId);
                } else if (!drain(jobId, null)) {
                    LOG.debug("Vote at {} on job {} waits up to {} for the job's result", vote, jobId, waitWindow);
                }
            }
        }
    }

    /** Most results have no vote waiting: they cost a lookup in memory and nothing else. */
    private void onResult(String jobId, long timestamp) {
        if (jobId == null || !pending.hasVotesOn(jobId) || jobs.expired(timestamp, clock.millis())) {
            return;
        }
        drain(jobId, null);
    }

    /**
     * Resolves the job's waiting votes in arrival order until one needs a provider call, which is then in flight.
     * Does nothing while a call of the job is in flight. {@code known}: facts to use if the table has none (those of
     * the call that just finished); returns false when the job's facts are unknown.
     */
    private boolean drain(String jobId, JobFacts known) {
        while (!inFlight.containsKey(jobId)) {
            JobFacts facts = jobs.facts(jobId, clock.millis());
            if (facts == null) {
                facts = known;
            }
            if (facts == null) {
                return false;
            }
            Optional<PendingVote> next = pending.first(jobId);
            if (next.isEmpty()) {
                return true;
            }
            PendingVote vote = next.get();
            // A stored vote decoded once, so only a registry outage (thrown) or a lost schema stops it here.
            switch (decoder.decode(vote.topic(), vote.key(), vote.value())) {
                case VoteDecoder.Rejected why -> {
                    LOG.warn("Pending vote at {} can no longer be decoded, dead-lettered: {}", vote, why.message());
                    pending.remove(jobId, vote);
                    emit(jobId, deadLetters.rejected(vote, why, jobId));
                }
                case VoteDecoder.Decoded decoded -> {
                    InFlight flight = new InFlight(vote, decoded.vote(), facts,
                            forwarder.forward(jobId, facts, decoded.vote().getVote()));
                    if (flight.outcome().isDone()) {
                        finish(jobId, flight);
                    } else {
                        inFlight.put(jobId, flight);
                    }
                }
            }
        }
        return true;
    }

    private void emitFinished() {
        List<Map.Entry<String, InFlight>> done = inFlight.entrySet().stream()
                .filter(e -> e.getValue().outcome().isDone()).toList();
        for (Map.Entry<String, InFlight> e : done) {
            inFlight.remove(e.getKey());
            finish(e.getKey(), e.getValue());
            drain(e.getKey(), e.getValue().facts());
        }
    }

    /** Emits the vote record, then forgets the vote: both commit together (exactly-once). */
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
        pending.remove(jobId, flight.vote());
    }

    /** Dead-letters votes that waited too long; resolves known votes not in flight (left by a previous owner). */
    private void sweep() {
        long now = clock.millis();
        for (Map.Entry<String, List<PendingVote>> job : pending.byJob().entrySet()) {
            String jobId = job.getKey();
            if (inFlight.containsKey(jobId) || drain(jobId, null)) {
                continue;
            }
            for (PendingVote vote : job.getValue()) {
                if (now - vote.arrivedAt() >= waitWindow.toMillis()) {
                    LOG.warn("Vote at {} on job {} dead-lettered: no result of the job within {}", vote, jobId,
                            waitWindow);
                    pending.remove(jobId, vote);
                    emit(jobId, deadLetters.unknownJob(vote, jobId, waitWindow));
                }
            }
        }
    }

    private void expireJobs() {
        int expired = jobs.expireSome(clock.millis());
        if (expired > 0) {
            LOG.debug("Forgot {} job(s) whose result is older than {}", expired, jobRetention);
        }
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
