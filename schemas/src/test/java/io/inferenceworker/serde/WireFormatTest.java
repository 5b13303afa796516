package io.inferenceworker.serde;

import static io.inferenceworker.serde.SerdeTestSupport.configFor;
import static io.inferenceworker.serde.SerdeTestSupport.greetingV1;
import static io.inferenceworker.serde.SerdeTestSupport.uniqueTopic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.inferenceworker.serde.testdata.Greeting;
import io.inferenceworker.testkit.EmbeddedSchemaRegistry;

class WireFormatTest {

    private static final int FIRST_ID = 0x01020304;

    private static EmbeddedSchemaRegistry registry;
    private static KafkaAvroSerializer serializer;
    private static KafkaAvroDeserializer deserializer;

    @BeforeAll
    static void start() {
        registry = EmbeddedSchemaRegistry.start();
        serializer = SerdeTestSupport.serializer(registry);
        deserializer = SerdeTestSupport.deserializer(registry);
    }

    @AfterAll
    static void stop() {
        serializer.close();
        deserializer.close();
        registry.close();
    }

    @Test
    void bytesAreMagicByteBigEndianIdThenPlainAvroBinary() throws Exception {
        GenericRecord greeting = greetingV1("hallo", 300);
        byte[] bytes;
        try (EmbeddedSchemaRegistry fresh = EmbeddedSchemaRegistry.builder().withFirstSchemaId(FIRST_ID).start();
             KafkaAvroSerializer first = SerdeTestSupport.serializer(fresh)) {
            bytes = first.serialize(uniqueTopic("layout"), greeting);
            assertThat(fresh.register("anything-value", Greeting.V1.toString())).isEqualTo(FIRST_ID);
        }
        assertThat(Arrays.copyOfRange(bytes, 0, 5)).containsExactly(0, 0x01, 0x02, 0x03, 0x04);
        assertThat(Arrays.copyOfRange(bytes, 5, bytes.length)).isEqualTo(plainAvro(greeting));
        // "hallo" = length 5 zig-zag (0x0a) + UTF-8; 300 = zig-zag 600 = 0xd8 0x04.
        assertThat(Arrays.copyOfRange(bytes, 5, bytes.length))
                .containsExactly(0x0a, 'h', 'a', 'l', 'l', 'o', 0xd8, 0x04);
    }

    @Test
    void keysAndValuesUseTopicNameStrategySubjects() throws Exception {
        String topic = uniqueTopic("subjects");
        try (KafkaAvroSerializer keySerializer = new KafkaAvroSerializer()) {
            keySerializer.configure(configFor(registry), true);
            keySerializer.serialize(topic, "job-1");
        }
        serializer.serialize(topic, greetingV1("x", 1));

        try (RestSchemaRegistryClient client = new RestSchemaRegistryClient(AvroSerdeConfig.from(configFor(registry)))) {
            assertThat(client.latest(topic + "-key").schema().getType().getName()).isEqualTo("string");
            assertThat(client.latest(topic + "-value").schema()).isEqualTo(Greeting.V1);
        }
    }

    @Test
    void nullIsATombstoneBothWays() {
        assertThat(serializer.serialize("t", null)).isNull();
        assertThat(deserializer.deserialize("t", null)).isNull();
    }

    @Test
    void primitivesRoundTripAsConfluentReturnsThem() {
        String topic = uniqueTopic("primitives");
        String text = "Grüße 🚀";
        assertThat(deserializer.deserialize(topic, serializer.serialize(topic, text))).isEqualTo(text);
        assertThat(deserializer.deserialize(topic, serializer.serialize(topic, new Utf8(text)))).isEqualTo(text);
        assertThat(deserializer.deserialize(topic, serializer.serialize(topic + "l", 1L << 40))).isEqualTo(1L << 40);
        assertThat(deserializer.deserialize(topic, serializer.serialize(topic + "i", -7))).isEqualTo(-7);
        assertThat(deserializer.deserialize(topic, serializer.serialize(topic + "b", true))).isEqualTo(true);
        assertThat(deserializer.deserialize(topic, serializer.serialize(topic + "d", 2.5d))).isEqualTo(2.5d);
        assertThat(deserializer.deserialize(topic, serializer.serialize(topic + "f", 1.5f))).isEqualTo(1.5f);
        byte[] raw = {0, 1, (byte) 0xff};
        assertThat(deserializer.deserialize(topic, serializer.serialize(topic + "y", raw))).isEqualTo(raw);
        assertThat(deserializer.deserialize(topic, serializer.serialize(topic + "y", ByteBuffer.wrap(raw))))
                .isEqualTo(raw);
    }

    @Test
    void unsupportedValueTypesAreRefusedByName() {
        assertThatThrownBy(() -> serializer.serialize("t", java.util.List.of(1, 2)))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("cannot be serialized as Avro");
        record Pojo(String secret) {
        }
        assertThatThrownBy(() -> serializer.serialize("t", new Pojo("do-not-print")))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining(Pojo.class.getName())
                .hasMessageNotContaining("do-not-print");
    }

    @Test
    void recordsThatDoNotMatchTheirSchemaAreRefusedWithoutTheirContent() {
        GenericRecord broken = greetingV1("private text", 1);
        broken.put("text", null);
        assertThatThrownBy(() -> serializer.serialize(uniqueTopic("broken"), broken))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("io.inferenceworker.serde.testdata.Greeting")
                .hasMessageNotContaining("private text")
                .hasCauseInstanceOf(NullPointerException.class);
    }

    @Test
    void unconfiguredInstancesSayWhatIsMissing() {
        assertThatThrownBy(() -> new KafkaAvroSerializer().serialize("t", "x"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("configure");
        assertThatThrownBy(() -> new KafkaAvroDeserializer().deserialize("t", new byte[] {0, 0, 0, 0, 1}))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("configure");
        assertThatThrownBy(() -> new SpecificAvroDeserializer<Greeting>().deserialize("t", new byte[] {0}))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("configure");
    }

    @Test
    void stringsAreUtf8OnTheWire() {
        byte[] bytes = serializer.serialize(uniqueTopic("utf8"), "é");
        byte[] utf8 = "é".getBytes(StandardCharsets.UTF_8);
        assertThat(Arrays.copyOfRange(bytes, 5, bytes.length)).containsExactly(utf8.length * 2, utf8[0], utf8[1]);
    }

    private static byte[] plainAvro(GenericRecord record) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
