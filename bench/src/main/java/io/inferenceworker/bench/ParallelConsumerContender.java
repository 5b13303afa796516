package io.inferenceworker.bench;

import io.confluent.parallelconsumer.ParallelConsumerOptions;
import io.confluent.parallelconsumer.ParallelConsumerOptions.CommitMode;
import io.confluent.parallelconsumer.ParallelConsumerOptions.ProcessingOrder;
import io.confluent.parallelconsumer.ParallelStreamProcessor;
import io.confluent.parallelconsumer.internal.AbstractParallelEoSStreamProcessor;
import io.inferenceworker.schemas.CompletionRequest;
import io.inferenceworker.schemas.CompletionResult;
import io.inferenceworker.serde.KafkaAvroDeserializer;
import io.inferenceworker.serde.KafkaAvroSerializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What teams that do not adopt the worker write instead (issue 15): Confluent's Parallel Consumer 0.5.3.3 in front
 * of a blocking provider call. Unordered processing, {@code maxConcurrency} = the scenario's in-flight limit (PC runs
 * that many platform threads, each blocked in one call), for every record the {@code CompletionRequest} decoded with
 * the project's Avro serde, one {@link OpenAiCall} (JDK {@code HttpClient}, as the baseline) and the
 * {@code CompletionResult} produced through {@code pollAndProduce} with an idempotent acks=all lz4 producer.
 *
 * <p>Commit mode {@code PERIODIC_CONSUMER_ASYNCHRONOUS}, PC's default: offsets committed asynchronously by the
 * consumer, after the result's send was acknowledged: at-least-once, the worker's default guarantee for results.
 * The transactional mode would give exactly-once output at a transaction per commit interval, which neither the
 * worker's results nor the baseline pay.
 *
 * <p>Runs until it is stopped (SIGTERM: PC closed, which closes its consumer and producer), or exits with code 1
 * when PC fails. Started by {@link Bench} in a JVM of its own, like {@link BaselineConsumer}.
 */
@Command(name = "parallel-consumer", mixinStandardHelpOptions = true,
        description = "Confluent Parallel Consumer (unordered, pollAndProduce), a contestant of the benchmark.")
public final class ParallelConsumerContender implements Callable<Integer> {
    @Mixin
    ContestantOptions options = new ContestantOptions();
    @Option(names = "--max-concurrency", required = true, description = "the scenario's in-flight limit")
    int maxConcurrency;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ParallelConsumerContender()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        OpenAiCall provider = new OpenAiCall(options.providerUrl);
        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        serializer.configure(Map.of("schema.registry.url", options.registryUrl), false);
        KafkaAvroDeserializer deserializer = new KafkaAvroDeserializer();
        deserializer.configure(Map.of("schema.registry.url", options.registryUrl, "specific.avro.reader", "true"),
                false);
        ParallelStreamProcessor<byte[], byte[]> pc = ParallelStreamProcessor.createEosStreamProcessor(
                ParallelConsumerOptions.<byte[], byte[]>builder()
                        .consumer(consumer())
                        .producer(producer())
                        .ordering(ProcessingOrder.UNORDERED)
                        .maxConcurrency(maxConcurrency)
                        .commitMode(CommitMode.PERIODIC_CONSUMER_ASYNCHRONOUS)
                        .build());
        pc.subscribe(List.of(options.requestsTopic));
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            pc.close();
            closed.countDown();
        }));
        pc.pollAndProduce(context -> {
            CompletionRequest request = (CompletionRequest) deserializer.deserialize(options.requestsTopic,
                    context.value());
            CompletionResult result = complete(provider, request);
            return new ProducerRecord<>(options.resultsTopic, context.key(),
                    serializer.serialize(options.resultsTopic, result));
        });
        // PC works on threads of its own; this one only watches for a failure, which would otherwise leave a
        // process that looks alive but produces nothing (the run would then wait for its stall timeout).
        while (!closed.await(1, TimeUnit.SECONDS)) {
            if (pc.isClosedOrFailed() && closed.getCount() > 0) {
                Exception cause = pc instanceof AbstractParallelEoSStreamProcessor<?, ?> a ? a.getFailureCause() : null;
                System.err.println("Parallel Consumer stopped on its own: " + cause);
                return 1;
            }
        }
        return 0;
    }

    /** A provider call inside PC's {@code Function}: failures become unchecked, and PC retries the record. */
    private static CompletionResult complete(OpenAiCall provider, CompletionRequest request) {
        try {
            return provider.complete(request);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling the provider", e);
        }
    }

    /** PC requires auto-commit off: it commits the offsets of completed records itself. */
    private KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, options.group,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** As the baseline's and the worker's: acks=all, idempotent, lz4. */
    private KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
                new ByteArraySerializer(), new ByteArraySerializer());
    }
}
