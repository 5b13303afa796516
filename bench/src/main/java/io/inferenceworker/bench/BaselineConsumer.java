package io.inferenceworker.bench;

import io.inferenceworker.schemas.CompletionRequest;
import io.inferenceworker.schemas.CompletionResult;
import io.inferenceworker.serde.KafkaAvroDeserializer;
import io.inferenceworker.serde.KafkaAvroSerializer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The usual alternative to the worker, as most teams write it: one consumer thread per partition in one group,
 * each taking one record at a time ({@code max.poll.records=1}), calling the provider synchronously
 * ({@link OpenAiCall}: JDK {@code HttpClient}, OpenAI chat-completions JSON), producing the {@code CompletionResult}
 * and waiting for its acknowledgement, then committing the record's offset, before the next record. Same serde, same
 * acks=all idempotent producer as the worker. Runs until it is stopped (SIGTERM). Started by {@link Bench} in a JVM
 * of its own.
 */
@Command(name = "baseline", mixinStandardHelpOptions = true,
        description = "Synchronous one-record-at-a-time consumer, the benchmark's baseline.")
public final class BaselineConsumer implements Callable<Integer> {
    @Mixin
    ContestantOptions options = new ContestantOptions();
    @Option(names = "--threads", required = true, description = "consumer threads: one per partition")
    int threads;

    private volatile boolean running = true;
    private OpenAiCall provider;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BaselineConsumer()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        provider = new OpenAiCall(options.providerUrl);
        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        serializer.configure(Map.of("schema.registry.url", options.registryUrl), false);
        KafkaAvroDeserializer deserializer = new KafkaAvroDeserializer();
        deserializer.configure(Map.of("schema.registry.url", options.registryUrl, "specific.avro.reader", "true"),
                false);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"), new ByteArraySerializer(), new ByteArraySerializer())) {
            List<KafkaConsumer<byte[], byte[]>> consumers = new ArrayList<>();
            List<Thread> loops = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers,
                        ConsumerConfig.GROUP_ID_CONFIG, options.group,
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1"), new ByteArrayDeserializer(),
                        new ByteArrayDeserializer());
                consumers.add(consumer);
                loops.add(Thread.ofPlatform().name("baseline-" + i)
                        .start(() -> consume(consumer, deserializer, serializer, producer)));
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                running = false;
                consumers.forEach(KafkaConsumer::wakeup);
                loops.forEach(t -> {
                    try {
                        t.join(5_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }));
            for (Thread loop : loops) {
                loop.join();
            }
        }
        return 0;
    }

    private void consume(KafkaConsumer<byte[], byte[]> consumer, KafkaAvroDeserializer deserializer,
                         KafkaAvroSerializer serializer, KafkaProducer<byte[], byte[]> producer) {
        try (consumer) {
            consumer.subscribe(List.of(options.requestsTopic));
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    CompletionRequest request = (CompletionRequest) deserializer.deserialize(options.requestsTopic,
                            record.value());
                    CompletionResult result = provider.complete(request);
                    producer.send(new ProducerRecord<>(options.resultsTopic, record.key(),
                            serializer.serialize(options.resultsTopic, result))).get();
                    consumer.commitSync(Map.of(new TopicPartition(record.topic(), record.partition()),
                            new OffsetAndMetadata(record.offset() + 1)));
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | IOException e) {
            throw new IllegalStateException("baseline consumer failed", e);
        }
    }
}
