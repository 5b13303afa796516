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
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/** Assembles the votes component from the worker's settings; its parts stay package-private. */
@Factory
public class VotesFactory {

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

        SpecificAvroSerde<CompletionResult> resultSerde = new SpecificAvroSerde<>(CompletionResult.class);
        resultSerde.configure(registry.serdeProperties(), false);
        SpecificAvroSerde<VoteRecord> voteSerde = new SpecificAvroSerde<>(VoteRecord.class);
        voteSerde.configure(registry.serdeProperties(), false);
        SpecificAvroDeserializer<VoteRequest> requestDeserializer = new SpecificAvroDeserializer<>(VoteRequest.class);
        requestDeserializer.configure(registry.serdeProperties(), false);

        VoteDecoder decoder = new VoteDecoder(requestDeserializer);
        VoteForwarder forwarder = new VoteForwarder(providers, Raters::of, clock);
        VoteRecords records = new VoteRecords(clock);
        VoteDeadLetters letters = new VoteDeadLetters(deadLetters, applicationId);
        Topology topology = VotesTopology.build(topics, resultSerde, voteSerde,
                () -> new VoteJoiner(decoder, forwarder, records, letters, clock, votes.getWaitWindow(),
                        votes.getJobRetention()));

        return new VotesService(streamsProperties(votes, kafka, worker, applicationId),
                kafka.clientProperties(Map.of()), topology, topics,
                List.of(forwarder, resultSerde, voteSerde, requestDeserializer), meters::bindStreams);
    }

    /** Kafka's common client properties, our defaults, then {@code votes.streams.*} on top. */
    static Map<String, Object> streamsProperties(VotesSettings votes, KafkaSettings kafka, WorkerSettings worker,
                                                 String applicationId) {
        Map<String, String> defaults = new HashMap<>();
        defaults.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        defaults.put(StreamsConfig.CLIENT_ID_CONFIG, worker.getId() + "-votes");
        defaults.put(StreamsConfig.STATE_DIR_CONFIG, votes.stateDir(worker).toString());
        defaults.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        defaults.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                ResultDeserializationHandler.class.getName());
        defaults.putAll(votes.getStreams());
        return kafka.clientProperties(defaults);
    }
}
