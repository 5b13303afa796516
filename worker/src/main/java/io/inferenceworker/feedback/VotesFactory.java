package io.inferenceworker.feedback;

import io.inferenceworker.config.KafkaClientBinder;
import io.inferenceworker.config.KafkaSettings;
import io.inferenceworker.config.SchemaRegistrySettings;
import io.inferenceworker.config.TopicSettings;
import io.inferenceworker.config.WorkerSettings;
import io.inferenceworker.provider.registry.ProviderRegistry;
import io.inferenceworker.publish.DeadLetters;
import io.inferenceworker.schemas.CompletionResult;
import io.inferenceworker.schemas.VoteRecord;
import io.inferenceworker.schemas.VoteRequest;
import io.inferenceworker.serde.SpecificAvroDeserializer;
import io.inferenceworker.serde.SpecificAvroSerde;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/** Assembles the votes component from the worker's settings; its parts stay package-private. */
@Factory
public class VotesFactory {
    /** The votes app's main consumer waits for this many bytes ... */
    static final String MAIN_FETCH_MIN_BYTES = "65536";
    /** ... or this many milliseconds, whichever comes first. */
    static final String MAIN_FETCH_MAX_WAIT_MS = "100";
    /** How often the votes app commits (a transaction under exactly-once). */
    static final String COMMIT_INTERVAL_MS = "1000";

    @Singleton
    @Bean(preDestroy = "close")
    @Requires(property = "worker.enabled", notEquals = "false")
    @Requires(property = "votes.enabled", notEquals = "false")
    VotesService votesService(VotesSettings votes, KafkaSettings kafka, TopicSettings topicSettings,
                              WorkerSettings worker, SchemaRegistrySettings registry, ProviderRegistry providers,
                              DeadLetters deadLetters, Clock clock, KafkaClientBinder meters) {
        String applicationId = votes.applicationId(kafka);
        VotesTopology.Topics topics = new VotesTopology.Topics(topicSettings.getResults(),
                topicSettings.getVoteRequests(), topicSettings.getVotes(), topicSettings.getDeadLetters());

        SpecificAvroDeserializer<CompletionResult> resultDeserializer =
                new SpecificAvroDeserializer<>(CompletionResult.class);
        resultDeserializer.configure(registry.serdeProperties(), false);
        SpecificAvroSerde<VoteRecord> voteSerde = new SpecificAvroSerde<>(VoteRecord.class);
        voteSerde.configure(registry.serdeProperties(), false);
        SpecificAvroDeserializer<VoteRequest> requestDeserializer = new SpecificAvroDeserializer<>(VoteRequest.class);
        requestDeserializer.configure(registry.serdeProperties(), false);

        VoteDecoder decoder = new VoteDecoder(requestDeserializer);
        ResultFacts resultFacts = new ResultFacts(topics.results(), resultDeserializer);
        VoteForwarder forwarder = new VoteForwarder(providers, Raters::of, clock);
        VoteRecords records = new VoteRecords(clock);
        VoteDeadLetters letters = new VoteDeadLetters(deadLetters, applicationId);
        Topology topology = VotesTopology.build(topics, voteSerde,
                () -> new VoteJoiner(decoder, resultFacts, forwarder, records, letters, clock, votes.getWaitWindow(),
                        votes.getJobRetention()));

        return new VotesService(streamsProperties(votes, kafka, worker, applicationId),
                kafka.clientProperties(Map.of()), topology, topics,
                List.of(forwarder, resultDeserializer, voteSerde, requestDeserializer), meters::bindStreams);
    }

    /** Kafka's common client properties, our defaults, then {@code votes.streams.*} on top. */
    static Map<String, Object> streamsProperties(VotesSettings votes, KafkaSettings kafka, WorkerSettings worker,
                                                 String applicationId) {
        Map<String, String> defaults = new HashMap<>();
        defaults.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        defaults.put(StreamsConfig.CLIENT_ID_CONFIG, worker.getId() + "-votes");
        defaults.put(StreamsConfig.STATE_DIR_CONFIG, votes.stateDir(worker).toString());
        defaults.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // Exactly-once commits a transaction per interval, 100 ms by default: the broker's transaction work was ~12 %
        // of the bench stack's CPU samples at that pace (base-100k, JFR). A second delays a VoteRecord by at most that.
        defaults.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, COMMIT_INTERVAL_MS);
        // Every result reaches the votes app, and few need it. Kafka's fetch defaults (answer as soon as one byte is
        // there) made its consumer fetch a few results per request: batching cut its stream thread's CPU per job by a
        // third (bench base-100k, two runs: 0.038 -> 0.025 and 0.043 -> 0.028 ms). A vote waits at most 100 ms more.
        defaults.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.FETCH_MIN_BYTES_CONFIG), MAIN_FETCH_MIN_BYTES);
        defaults.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), MAIN_FETCH_MAX_WAIT_MS);
        defaults.putAll(votes.getStreams());
        return kafka.clientProperties(defaults);
    }
}
