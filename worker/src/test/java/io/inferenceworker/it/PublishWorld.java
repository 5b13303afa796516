package io.inferenceworker.it;

import io.inferenceworker.intake.Intake;
import io.inferenceworker.schemas.CompletionRequest;
import io.inferenceworker.testkit.sim.Dialect;
import io.micronaut.context.ApplicationContext;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * A one-partition test world for publishing faults: like {@link WorkerHarness}, but output topics named in
 * {@code missing} are not created (a test creates them later with {@link #createTopic}).
 */
final class PublishWorld extends StackWorld {

    PublishWorld(String name, Set<String> missing) {
        super(name);
        stack.kafka().createTopic(requests, 1);
        for (String t : List.of(results, usage, chunks, dlq)) {
            if (!missing.contains(t.substring(prefix.length() + 1))) {
                stack.kafka().createTopic(t, 1);
            }
        }
    }

    void createTopic(String topic) {
        stack.kafka().createTopic(topic, 1);
    }

    Map<String, Object> workerProperties(Map<String, Object> overrides) {
        Map<String, Object> p = baseProperties();
        p.put("votes.enabled", "false");
        provider(p, "sim", "openai", stack.simulator().baseUrl(Dialect.OPENAI), "200ms");
        p.putAll(overrides);
        return p;
    }

    ApplicationContext startWorker(Map<String, Object> overrides) {
        return start(workerProperties(overrides));
    }

    byte[] serialize(CompletionRequest request) {
        return encode(requests, request);
    }

    void send(CompletionRequest request) {
        sendRaw(request.getJobId().getBytes(StandardCharsets.UTF_8), serialize(request));
    }

    void sendRaw(byte[] key, byte[] value) {
        produce(requests, key, value, List.of());
    }

    List<ConsumerRecord<byte[], byte[]>> records(String topic, String key) {
        return collector(topic).records().stream()
                .filter(r -> r.key() != null && new String(r.key(), StandardCharsets.UTF_8).equals(key)).toList();
    }

    long committed() {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, group), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            var om = c.committed(Set.of(new TopicPartition(requests, 0)), Duration.ofSeconds(10))
                    .get(new TopicPartition(requests, 0));
            return om == null ? 0 : om.offset();
        }
    }

    static int inFlight(ApplicationContext ctx) {
        return ctx.getBean(Intake.class).inFlight();
    }

    /** The result of the health indicator named {@code name} in {@code ctx}, if there is one. */
    static Optional<HealthResult> health(ApplicationContext ctx, String name) {
        for (HealthIndicator indicator : ctx.getBeansOfType(HealthIndicator.class)) {
            HealthResult result = first(indicator);
            if (result != null && name.equals(result.getName())) {
                return Optional.of(result);
            }
        }
        return Optional.empty();
    }

    private static HealthResult first(HealthIndicator indicator) {
        CompletableFuture<HealthResult> first = new CompletableFuture<>();
        indicator.getResult().subscribe(new Subscriber<>() {
            @Override
            public void onSubscribe(Subscription s) {
                s.request(1);
            }

            @Override
            public void onNext(HealthResult r) {
                first.complete(r);
            }

            @Override
            public void onError(Throwable t) {
                first.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                first.complete(null);
            }
        });
        try {
            return first.get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
