package io.inferenceworker.feedback;

import io.inferenceworker.schemas.VoteRecord;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The votes flow as one Kafka Streams topology (one sub-topology, so one task per partition number reads both the
 * results and the vote requests of that partition):
 * <pre>
 *   results (raw bytes) --&gt; KTable "vote-results" (source topic = its changelog) --&gt; "settled" --+
 *   vote requests (raw bytes) --&gt; "arrived" ------------------------------------------------------+
 *       --&gt; {@link VoteJoiner} (reads "vote-results", owns "vote-pending") --+--&gt; VoteRecord  --&gt; votes topic
 *                                                                        +--&gt; dead letter --&gt; dead-letter topic
 * </pre>
 *
 * <p><b>Why a result costs almost nothing.</b> Every job has a result, few get a vote. So the per-result path does
 * no work a vote does not need: the results table holds each result's bytes as they came (no Avro decoding, no
 * re-encoding), and it is restored from the results topic itself ({@code topology.optimization} reuses a table's
 * source topic as its changelog), so a result costs no changelog write and adds nothing to the transaction but its
 * offset. A result is decoded only when a vote needs its facts ({@link JobTable}), and the joiner skips results of
 * jobs without a waiting vote by an in-memory index ({@link PendingVotes}). Measured with the bench (base-100k against
 * votes off, issue 15): the earlier design (facts decoded, JSON-encoded and changelogged per result) cost a third of
 * the worker's throughput, this one 17 % (19 % steady).
 *
 * <p><b>Why not a plain stream-table join.</b> A KStream-KTable join drops a vote that arrives before its result.
 * So the vote joiner reads the jobs table itself, parks votes without a result in the pending store (a logged
 * store: it survives restarts and moves with its partition), and picks them up when their job's result arrives, or
 * dead-letters them once the wait window has passed. It keeps every vote, one entry each ({@link PendingVotes}), so
 * votes of several users on one job never replace each other. Both stores are restored from Kafka (the pending
 * store from its changelog, the results table from the results topic); nothing lives only in memory except
 * provider calls in flight, which the store lets the next owner redo.
 *
 * <p><b>Bounded state.</b> The pending store holds a vote at most for the wait window plus its forwarding. The jobs
 * table keeps a job for {@code votes.job-retention} after its result's timestamp; the joiner then deletes it from
 * the local table ({@link JobTable}). A restore from scratch (a new owner of the partition, or a crash under
 * exactly-once) reads the results topic from its start, so its size is bounded by the results topic's own retention
 * (or compaction), and expired entries it brings back are deleted again.
 *
 * <p><b>Why the stream thread never waits for a provider.</b> Forwarding a vote is an HTTP call with retries that
 * may last as long as the provider's retry window. It runs on a virtual thread; the joiner polls for finished calls
 * and emits their VoteRecords from the stream thread, then forgets the pending vote. Throughput is therefore not
 * bound by the provider's latency, and a slow provider never stalls polling or triggers a rebalance.
 *
 * <p><b>Co-partitioning.</b> A vote meets its job's result only if both topics have the same partition count and
 * both are keyed by job ID with the default partitioner; {@link CoPartitioning} checks the counts at start-up.
 *
 * <p><b>Guarantees.</b> At least once towards the provider (a vote may be forwarded twice after a crash; a vote is
 * idempotent there) and for VoteRecords (same key, so a duplicate replaces the original in the compacted votes
 * topic). Because VoteRecords and dead letters are emitted from state rather than straight from an input record,
 * the default processing guarantee is {@code exactly_once_v2}: the output and the deletion of the pending vote
 * then commit together, whereas under {@code at_least_once} a crash between the two could lose a vote. Every vote
 * request ends in exactly one VoteRecord or one dead letter.
 */
final class VotesTopology {
    /** The results table; not {@code vote-jobs}, the JSON facts store of earlier workers, whose data it cannot read. */
    static final String JOBS_STORE = "vote-results";
    static final String PENDING_STORE = "vote-pending";

    private VotesTopology() {
    }

    /** The names of the topics the topology reads and writes. */
    record Topics(String results, String voteRequests, String votes, String deadLetters) {
        Topics {
            Objects.requireNonNull(results, "results");
            Objects.requireNonNull(voteRequests, "voteRequests");
            Objects.requireNonNull(votes, "votes");
            Objects.requireNonNull(deadLetters, "deadLetters");
        }
    }

    /**
     * @param voteSerde configured serde of the votes topic's values
     * @param joiner    creates one {@link VoteJoiner} per task
     */
    static Topology build(Topics topics, Serde<VoteRecord> voteSerde,
                          ProcessorSupplier<String, VoteEvent, String, VoteOutput> joiner) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PENDING_STORE),
                Serdes.String(), new JsonSerde<>(PendingVote.class)).withCachingDisabled());

        KTable<String, byte[]> jobs = builder.table(topics.results(),
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("results"),
                Materialized.<String, byte[], KeyValueStore<Bytes, byte[]>>as(JOBS_STORE)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(Serdes.ByteArray())
                        .withCachingDisabled());
        KStream<String, VoteEvent> settled = jobs.toStream(Named.as("settled-jobs"))
                .filter((jobId, result) -> result != null, Named.as("settled-not-deleted"))
                .mapValues(result -> (VoteEvent) VoteEvent.SETTLED, Named.as("settled"));
        // Raw bytes, so a bad vote can be dead-lettered as it came; the String key is only for the join.
        KStream<String, VoteEvent> arrived = builder
                .stream(topics.voteRequests(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                        .withName("vote-requests"))
                .map((key, value) -> KeyValue.pair(key == null ? null : new String(key, StandardCharsets.UTF_8),
                        (VoteEvent) new VoteEvent.Arrived(key, value)), Named.as("arrived"));

        KStream<String, VoteOutput> out = arrived.merge(settled, Named.as("vote-events"))
                .process(joiner, Named.as("vote-joiner"), PENDING_STORE, JOBS_STORE);
        out.flatMapValues(VoteOutput::recorded, Named.as("recorded"))
                .to(topics.votes(), Produced.with(Serdes.String(), voteSerde).withName("votes"));
        out.flatMap((jobId, output) -> VoteOutput.deadLettered(output), Named.as("dead-lettered"))
                .to(topics.deadLetters(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray())
                        .withName("dead-letters"));
        // The results table is restored from the results topic instead of a changelog of its own.
        Properties optimizations = new Properties();
        optimizations.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.REUSE_KTABLE_SOURCE_TOPICS);
        return builder.build(optimizations);
    }
}
