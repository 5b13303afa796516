package io.inferenceworker.serde;

import static io.inferenceworker.serde.SerdeTestSupport.uniqueTopic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.inferenceworker.testkit.EmbeddedSchemaRegistry;

/** Every kind of bad record is a typed {@link PoisonRecordException}: never a crash, never an OOM. */
class PoisonRecordTest {

    private static final Schema STRINGS = SerdeTestSupport.parse("""
            {"type":"record","name":"Strings","namespace":"poison","fields":[
              {"name":"s","type":"string"},
              {"name":"b","type":"bytes"},
              {"name":"m","type":{"type":"map","values":"int"}},
              {"name":"a","type":{"type":"array","items":"long"}},
              {"name":"u","type":["null","string"]},
              {"name":"e","type":{"type":"enum","name":"E","symbols":["X","Y"]}}
            ]}""");

    private static EmbeddedSchemaRegistry registry;
    private static KafkaAvroDeserializer deserializer;
    private static int stringsId;
    private static String topic;

    @BeforeAll
    static void start() {
        registry = EmbeddedSchemaRegistry.start();
        deserializer = SerdeTestSupport.deserializer(registry);
        topic = uniqueTopic("poison");
        stringsId = registry.register(topic + "-value", STRINGS.toString());
    }

    @AfterAll
    static void stop() {
        deserializer.close();
        registry.close();
    }

    @Test
    void emptyAndForeignPayloadsHaveABadMagicByte() {
        BadMagicByteException empty = catchThrowableOfType(new byte[0], BadMagicByteException.class);
        assertThat(empty.actualMagicByte()).isEqualTo(-1);
        assertThat(empty.schemaId()).isEmpty();

        byte[] json = "{\"secret\":\"value\"}".getBytes();
        BadMagicByteException foreign = catchThrowableOfType(json, BadMagicByteException.class);
        assertThat(foreign.actualMagicByte()).isEqualTo('{');
        assertThat(foreign.payloadLength()).isEqualTo(json.length);
        assertThat(foreign).hasMessageNotContaining("secret").hasMessageNotContaining("{");
    }

    @Test
    void aHeaderShorterThanFiveBytesIsUndecodable() {
        for (int length = 1; length < 5; length++) {
            byte[] truncated = new byte[length];
            assertThat(catchThrowableOfType(truncated, UndecodablePayloadException.class).schemaId()).isEmpty();
        }
    }

    @Test
    void anIdUnknownToTheRegistryIsUnknownSchemaId() {
        byte[] bytes = {0, 0x7f, 0, 0, 1, 2, 'a'};
        UnknownSchemaIdException unknown = catchThrowableOfType(bytes, UnknownSchemaIdException.class);
        assertThat(unknown.schemaId()).hasValue(0x7f000001);
        assertThat(unknown).hasMessageContaining("2130706433").hasMessageContaining("40403");
    }

    @Test
    void truncatedOrOverlongAvroIsUndecodable() throws Exception {
        byte[] valid = withHeader(stringsId, avro(e -> {
            e.writeString("hello");
            e.writeBytes(new byte[] {1, 2});
            e.writeMapStart();
            e.setItemCount(1);
            e.startItem();
            e.writeString("k");
            e.writeInt(7);
            e.writeMapEnd();
            e.writeArrayStart();
            e.setItemCount(0);
            e.writeArrayEnd();
            e.writeIndex(1);
            e.writeString("u");
            e.writeEnum(1);
        }));
        assertThat(deserializer.deserialize(topic, valid)).isNotNull();

        for (int cut = 5; cut < valid.length; cut++) {
            byte[] truncated = Arrays.copyOf(valid, cut);
            assertThat(catchThrowableOfType(truncated, UndecodablePayloadException.class).schemaId())
                    .as("cut at %d", cut).hasValue(stringsId);
        }
        byte[] trailing = Arrays.copyOf(valid, valid.length + 3);
        assertThat(catchThrowableOfType(trailing, UndecodablePayloadException.class))
                .hasMessageContaining("3 bytes left over");
    }

    @Test
    @Timeout(10)
    void hugeAnnouncedLengthsDoNotAllocate() throws Exception {
        long huge = 1_500_000_000L;
        // A string announcing 1.5 GB.
        assertUndecodable(avro(e -> e.writeLong(huge)));
        // Bytes announcing 1.5 GB after a valid string.
        assertUndecodable(avro(e -> {
            e.writeString("s");
            e.writeLong(huge);
        }));
        // A map block announcing 1.5 G entries.
        assertUndecodable(avro(e -> {
            e.writeString("s");
            e.writeBytes(new byte[0]);
            e.writeLong(huge);
        }));
        // An array block announcing 1.5 G longs.
        assertUndecodable(avro(e -> {
            e.writeString("s");
            e.writeBytes(new byte[0]);
            e.writeLong(0);
            e.writeLong(huge);
            e.writeLong(1);
        }));
        // A negative length.
        assertUndecodable(avro(e -> e.writeLong(-5)));
    }

    @Test
    void invalidUnionAndEnumIndexesAreUndecodable() throws Exception {
        assertUndecodable(avro(e -> {
            e.writeString("s");
            e.writeBytes(new byte[0]);
            e.writeLong(0);
            e.writeLong(0);
            e.writeIndex(7);
        }));
        assertUndecodable(avro(e -> {
            e.writeString("s");
            e.writeBytes(new byte[0]);
            e.writeLong(0);
            e.writeLong(0);
            e.writeIndex(0);
            e.writeEnum(9);
        }));
    }

    @Test
    @Timeout(60)
    void randomCorruptionIsAlwaysPoisonOrAValidValue() throws Exception {
        Schema fixture;
        try (InputStream avsc = getClass().getClassLoader().getResourceAsStream("fixtures/kafkajs/fixture.avsc")) {
            fixture = new Schema.Parser().parse(avsc);
        }
        byte[] valid;
        try (InputStream json = getClass().getClassLoader().getResourceAsStream("fixtures/kafkajs/records.json");
             KafkaAvroSerializer serializer = SerdeTestSupport.serializer(registry)) {
            Object datum = FixtureJson.toDatum(new ObjectMapper().readTree(json).get(0), fixture);
            valid = serializer.serialize(topic + "-fuzz", datum);
        }
        Random random = new Random(20250101L);
        int poisoned = 0;
        for (int round = 0; round < 5_000; round++) {
            byte[] corrupt = valid.clone();
            int flips = 1 + random.nextInt(4);
            for (int i = 0; i < flips; i++) {
                // Leave the header alone: this is about the Avro body.
                corrupt[5 + random.nextInt(corrupt.length - 5)] = (byte) random.nextInt(256);
            }
            if (random.nextInt(10) == 0) {
                corrupt = Arrays.copyOf(corrupt, 5 + random.nextInt(corrupt.length - 5));
            }
            byte[] input = corrupt;
            Throwable failure = catchThrowable(() -> deserializer.deserialize(topic, input));
            if (failure != null) {
                assertThat(failure).as("round %d", round).isInstanceOf(UndecodablePayloadException.class);
                poisoned++;
            }
        }
        assertThat(poisoned).isPositive();
    }

    @Test
    void poisonIsASerializationExceptionAsKafkaExpects() {
        assertThatThrownBy(() -> deserializer.deserialize(topic, new byte[] {1}))
                .isInstanceOf(org.apache.kafka.common.errors.SerializationException.class)
                .isInstanceOf(PoisonRecordException.class)
                .isNotInstanceOf(RegistryUnavailableException.class);
    }

    private static void assertUndecodable(byte[] body) {
        long start = System.nanoTime();
        assertThat(catchThrowableOfType(withHeader(stringsId, body), UndecodablePayloadException.class).schemaId())
                .hasValue(stringsId);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    private static <T extends Throwable> T catchThrowableOfType(byte[] bytes, Class<T> type) {
        Throwable failure = catchThrowable(() -> deserializer.deserialize(topic, bytes));
        assertThat(failure).isInstanceOf(type);
        return type.cast(failure);
    }

    private interface Writes {
        void to(BinaryEncoder encoder) throws Exception;
    }

    private static byte[] avro(Writes writes) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        writes.to(encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static byte[] withHeader(int id, byte[] body) {
        return ByteBuffer.allocate(5 + body.length).put((byte) 0).putInt(id).put(body).array();
    }
}
