package io.inferenceworker.serde;

import static io.inferenceworker.serde.SerdeTestSupport.configFor;
import static io.inferenceworker.serde.SerdeTestSupport.greetingV1;
import static io.inferenceworker.serde.SerdeTestSupport.uniqueTopic;
import static org.assertj.core.api.Assertions.assertThat;

import io.inferenceworker.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.inferenceworker.serde.testdata.Greeting;
import io.inferenceworker.testkit.EmbeddedSchemaRegistry;
import io.inferenceworker.testkit.EmbeddedSchemaRegistry.Route;

/** After warm-up, no registry request per record. Each test counts on its own registry. */
class CachingTest {

    private static final int RECORDS = 500;

    private EmbeddedSchemaRegistry registry;

    @BeforeEach
    void start() {
        registry = EmbeddedSchemaRegistry.start();
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void serializerAndDeserializerMakeNoRequestPerRecordAfterWarmUp() {
        String topic = uniqueTopic("warm");
        try (KafkaAvroSerializer serializer = SerdeTestSupport.serializer(registry);
             KafkaAvroDeserializer deserializer = SerdeTestSupport.deserializer(registry)) {
            deserializer.deserialize(topic, serializer.serialize(topic, greetingV1("warm-up", 0)));
            long afterWarmUp = registry.callCount();
            assertThat(registry.callCount(Route.REGISTER)).isEqualTo(1);
            assertThat(registry.callCount(Route.SCHEMA_BY_ID)).isEqualTo(1);

            for (int i = 0; i < RECORDS; i++) {
                // A new but equal Schema object per record must still hit the cache.
                GenericRecord record = new org.apache.avro.generic.GenericData.Record(
                        SerdeTestSupport.parse(Greeting.V1.toString()));
                record.put("text", "n" + i);
                record.put("count", i);
                GenericRecord read = (GenericRecord) deserializer.deserialize(topic, serializer.serialize(topic, record));
                assertThat(read.get("count")).isEqualTo(i);
            }
            assertThat(registry.callCount()).isEqualTo(afterWarmUp);
        }
    }

    @Test
    void aSharedClientKnowsTheSchemasItRegistered() {
        String topic = uniqueTopic("shared");
        try (CachedSchemaRegistryClient client = CachedSchemaRegistryClient.of(AvroSerdeConfig.from(configFor(registry)));
             KafkaAvroSerializer serializer = new KafkaAvroSerializer(client);
             KafkaAvroDeserializer deserializer = new KafkaAvroDeserializer(client)) {
            for (int i = 0; i < RECORDS; i++) {
                deserializer.deserialize(topic, serializer.serialize(topic, greetingV1("x", i)));
            }
        }
        assertThat(registry.callCount(Route.REGISTER)).isEqualTo(1);
        assertThat(registry.callCount(Route.SCHEMA_BY_ID)).isZero();
        assertThat(registry.callCount()).isEqualTo(1);
    }

    @Test
    void lookupAndLatestModesAreCachedToo() {
        String topic = uniqueTopic("modes");
        registry.register(topic + "-value", Greeting.V1.toString());
        try (KafkaAvroSerializer lookup = SerdeTestSupport.serializer(registry,
                     AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false);
             KafkaAvroSerializer latest = SerdeTestSupport.serializer(registry,
                     AvroSerdeConfig.USE_LATEST_VERSION, true, AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false)) {
            for (int i = 0; i < RECORDS; i++) {
                lookup.serialize(topic, greetingV1("x", i));
                latest.serialize(topic, greetingV1("y", i));
            }
        }
        assertThat(registry.callCount(Route.LOOKUP)).isEqualTo(1);
        assertThat(registry.callCount(Route.VERSION)).isEqualTo(1);
        assertThat(registry.callCount()).isEqualTo(2);
    }

    @Test
    void concurrentDeserializationWarmsUpOnceAndAgrees() throws Exception {
        String topic = uniqueTopic("threads");
        List<byte[]> records = new ArrayList<>();
        try (KafkaAvroSerializer serializer = SerdeTestSupport.serializer(registry)) {
            for (int i = 0; i < 200; i++) {
                records.add(serializer.serialize(topic, greetingV1("t" + i, i)));
            }
        }
        long before = registry.callCount(Route.SCHEMA_BY_ID);
        try (KafkaAvroDeserializer deserializer = SerdeTestSupport.deserializer(registry);
             ExecutorService pool = Executors.newFixedThreadPool(8)) {
            deserializer.deserialize(topic, records.getFirst());
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < records.size(); i++) {
                byte[] bytes = records.get(i);
                tasks.add(() -> (Integer) ((GenericRecord) deserializer.deserialize(topic, bytes)).get("count"));
            }
            List<Future<Integer>> counts = pool.invokeAll(tasks);
            for (int i = 0; i < counts.size(); i++) {
                assertThat(counts.get(i).get()).isEqualTo(i);
            }
        }
        assertThat(registry.callCount(Route.SCHEMA_BY_ID) - before).isEqualTo(1);
    }

    @Test
    void latestVersionIsRefetchedAfterItsTimeToLive() {
        String subject = uniqueTopic("ttl") + "-value";
        registry.register(subject, Greeting.V1.toString());
        MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
        try (CachedSchemaRegistryClient client = new CachedSchemaRegistryClient(
                new RestSchemaRegistryClient(AvroSerdeConfig.from(configFor(registry))), 10,
                Optional.of(Duration.ofSeconds(30)), clock)) {
            assertThat(client.latest(subject).version()).isEqualTo(1);
            registry.register(subject, Greeting.SCHEMA$.toString());
            clock.advance(Duration.ofSeconds(29));
            assertThat(client.latest(subject).version()).isEqualTo(1);
            clock.advance(Duration.ofSeconds(1));
            assertThat(client.latest(subject).version()).isEqualTo(2);
            assertThat(client.latest(subject).schema()).isEqualTo(Greeting.SCHEMA$);
        }
        assertThat(registry.callCount(Route.VERSION)).isEqualTo(2);
    }

    @Test
    void cachesStayWithinTheirCapacity() {
        BoundedCache<Integer, String> cache = new BoundedCache<>(3);
        for (int i = 0; i < 100; i++) {
            cache.put(i, "v" + i);
            assertThat(cache.size()).isLessThanOrEqualTo(3);
        }
        assertThat(cache.get(99)).isEqualTo("v99");
    }

    @Test
    void aColdCacheHitByManyThreadsAtOnceAsksTheRegistryOnce() throws Exception {
        String topic = uniqueTopic("herd");
        registry.setResponseDelay(Duration.ofMillis(200));
        try (KafkaAvroSerializer serializer = SerdeTestSupport.serializer(registry);
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<byte[]>> sent = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                sent.add(threads.submit(() -> serializer.serialize(topic, greetingV1("herd", n))));
            }
            for (Future<byte[]> f : sent) {
                assertThat(f.get()).isNotEmpty();
            }
        } finally {
            registry.setResponseDelay(Duration.ZERO);
        }
        assertThat(registry.callCount(Route.REGISTER)).isEqualTo(1);
    }
}
