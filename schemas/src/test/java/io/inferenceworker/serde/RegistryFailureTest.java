package io.inferenceworker.serde;

import static io.inferenceworker.serde.SerdeTestSupport.configForUrl;
import static io.inferenceworker.serde.SerdeTestSupport.greetingV1;
import static io.inferenceworker.serde.SerdeTestSupport.greetingV2;
import static io.inferenceworker.serde.SerdeTestSupport.uniqueTopic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.sun.net.httpserver.HttpServer;

import io.inferenceworker.serde.testdata.Greeting;
import io.inferenceworker.testkit.EmbeddedSchemaRegistry;
import io.inferenceworker.testkit.EmbeddedSchemaRegistry.Route;

/** Registry trouble is never poison: transient outages, refusals and wrong URLs each have their own type. */
class RegistryFailureTest {

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
    void anOutageIsTransientAndTheSerdeRecoversWhenItEnds() {
        String topic = uniqueTopic("outage");
        byte[] bytes;
        try (KafkaAvroSerializer other = SerdeTestSupport.serializer(registry)) {
            bytes = other.serialize(topic, greetingV1("before", 1));
        }
        try (KafkaAvroSerializer serializer = SerdeTestSupport.serializer(registry);
             KafkaAvroDeserializer deserializer = SerdeTestSupport.deserializer(registry)) {
            registry.setAvailable(false);

            RegistryUnavailableException readFailure =
                    catchThrowableOfType(RegistryUnavailableException.class, () -> deserializer.deserialize(topic, bytes));
            assertThat(readFailure).isNotInstanceOf(PoisonRecordException.class)
                    .hasMessageContaining(registry.url()).hasMessageContaining("503");
            assertThat(readFailure.schemaId()).isPresent();
            assertThatThrownBy(() -> serializer.serialize(topic, greetingV2("during", 2, "de")))
                    .isInstanceOf(RegistryUnavailableException.class);

            registry.setAvailable(true);
            assertThat(deserializer.deserialize(topic, bytes)).isEqualTo(greetingV1("before", 1));
            assertThat(deserializer.deserialize(topic, serializer.serialize(topic, greetingV2("after", 3, "de"))))
                    .isEqualTo(greetingV2("after", 3, "de"));
        }
    }

    @Test
    void aRefusedConnectionIsTransient() throws IOException {
        String deadUrl = "http://127.0.0.1:" + freePort();
        try (KafkaAvroDeserializer deserializer = new KafkaAvroDeserializer()) {
            deserializer.configure(configForUrl(deadUrl), false);
            RegistryUnavailableException failure = catchThrowableOfType(RegistryUnavailableException.class,
                    () -> deserializer.deserialize("t", new byte[] {0, 0, 0, 0, 1, 0}));
            assertThat(failure).hasCauseInstanceOf(ConnectException.class).hasMessageContaining(deadUrl);
            assertThat(failure.schemaId()).hasValue(1);
        }
    }

    @Test
    @Timeout(20)
    void aSlowRegistryTimesOutAsTransient() {
        registry.setResponseDelay(Duration.ofSeconds(5));
        try (KafkaAvroSerializer serializer = SerdeTestSupport.serializer(registry,
                AvroSerdeConfig.HTTP_READ_TIMEOUT_MS, "300")) {
            assertThatThrownBy(() -> serializer.serialize(uniqueTopic("slow"), greetingV1("x", 1)))
                    .isInstanceOf(RegistryUnavailableException.class)
                    .hasCauseInstanceOf(HttpTimeoutException.class);
        } finally {
            registry.setResponseDelay(Duration.ZERO);
        }
    }

    @Test
    void failsOverToTheNextUrlOnConnectionFailureAndOn5xx() throws IOException {
        String topic = uniqueTopic("failover");
        String urls = "http://127.0.0.1:" + freePort() + "," + registry.url();
        try (KafkaAvroSerializer serializer = new KafkaAvroSerializer()) {
            serializer.configure(configForUrl(urls), false);
            assertThat(serializer.serialize(topic, greetingV1("x", 1))).isNotNull();
        }
        try (EmbeddedSchemaRegistry down = EmbeddedSchemaRegistry.start()) {
            down.setAvailable(false);
            try (KafkaAvroSerializer serializer = new KafkaAvroSerializer()) {
                serializer.configure(configForUrl(down.url() + "," + registry.url()), false);
                serializer.serialize(topic + "-2", greetingV1("x", 1));
                serializer.serialize(topic + "-3", greetingV1("x", 1));
            }
            // The second request went straight to the URL that answered last.
            assertThat(down.callCount()).isEqualTo(1);
            assertThat(registry.callCount(Route.REGISTER)).isEqualTo(3);
        }
    }

    @Test
    void everyUrlFailingReportsEachOfThem() throws IOException {
        String first = "http://127.0.0.1:" + freePort();
        registry.setAvailable(false);
        try (KafkaAvroSerializer serializer = new KafkaAvroSerializer()) {
            serializer.configure(configForUrl(first + "," + registry.url()), false);
            assertThatThrownBy(() -> serializer.serialize("t", "x"))
                    .isInstanceOf(RegistryUnavailableException.class)
                    .hasMessageContaining(first + " failed: ConnectException")
                    .hasMessageContaining(registry.url() + " answered 503");
        }
    }

    @Test
    void unauthenticatedIsAnAccessErrorNotAnOutage() {
        try (EmbeddedSchemaRegistry secured = EmbeddedSchemaRegistry.builder().withBasicAuth("u", "p").start();
             KafkaAvroDeserializer deserializer = SerdeTestSupport.deserializer(secured)) {
            RegistryAccessException failure = catchThrowableOfType(RegistryAccessException.class,
                    () -> deserializer.deserialize("t", new byte[] {0, 0, 0, 0, 1, 0}));
            assertThat(failure.httpStatus()).isEqualTo(401);
            assertThat(failure).isNotInstanceOf(PoisonRecordException.class);
            assertThat(secured.callCount()).as("no failover or retry on 401").isEqualTo(1);
        }
    }

    @Test
    void aUrlThatIsNotARegistryIsARequestErrorNotAnUnknownId() throws IOException {
        // The double answers 404 without a Confluent error code under an unknown path prefix.
        try (KafkaAvroDeserializer deserializer = new KafkaAvroDeserializer()) {
            deserializer.configure(configForUrl(registry.url() + "/not-the-registry"), false);
            RegistryRequestException failure = catchThrowableOfType(RegistryRequestException.class,
                    () -> deserializer.deserialize("t", new byte[] {0, 0, 0, 0, 1, 0}));
            assertThat(failure.httpStatus()).isEqualTo(404);
            assertThat(failure).isNotInstanceOf(PoisonRecordException.class).hasMessageContaining("is the URL");
        }
        HttpServer html = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        html.createContext("/", exchange -> {
            byte[] page = "<html>hello</html>".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, page.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(page);
            }
        });
        html.start();
        try (KafkaAvroSerializer serializer = new KafkaAvroSerializer()) {
            serializer.configure(configForUrl("http://127.0.0.1:" + html.getAddress().getPort()), false);
            assertThatThrownBy(() -> serializer.serialize("t", "x"))
                    .isInstanceOf(RegistryRequestException.class)
                    .hasMessageContaining("without a JSON body");
        } finally {
            html.stop(0);
        }
    }

    @Test
    void refusalsOfTheRegistryCarryItsErrorCode() {
        String topic = uniqueTopic("refusal");
        registry.register(topic + "-value", Greeting.V1.toString());
        try (KafkaAvroSerializer serializer = SerdeTestSupport.serializer(registry)) {
            org.apache.avro.generic.GenericRecord incompatible = new org.apache.avro.generic.GenericData.Record(
                    SerdeTestSupport.parse("""
                            {"type":"record","name":"Greeting","namespace":"io.inferenceworker.serde.testdata",
                             "fields":[{"name":"text","type":"string"},{"name":"mandatory","type":"int"}]}"""));
            incompatible.put("text", "t");
            incompatible.put("mandatory", 1);
            RegistryRequestException failure = catchThrowableOfType(RegistryRequestException.class,
                    () -> serializer.serialize(topic, incompatible));
            assertThat(failure.httpStatus()).isEqualTo(409);
            assertThat(failure.errorCode()).isEqualTo(409);
            assertThat(failure).hasMessageContaining("incompatible");
        }
        try (KafkaAvroSerializer lookupOnly = SerdeTestSupport.serializer(registry,
                AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, "false")) {
            RegistryRequestException notRegistered = catchThrowableOfType(RegistryRequestException.class,
                    () -> lookupOnly.serialize(uniqueTopic("unregistered"), greetingV1("x", 1)));
            assertThat(notRegistered.errorCode()).isEqualTo(40401);
            assertThat(notRegistered).hasMessageContaining("auto.register.schemas is false");
            RegistryRequestException otherSchema = catchThrowableOfType(RegistryRequestException.class,
                    () -> lookupOnly.serialize(topic, greetingV2("x", 1, "en")));
            assertThat(otherSchema.errorCode()).isEqualTo(40403);
            assertThat(lookupOnly.serialize(topic, greetingV1("x", 1))).isNotNull();
        }
    }

    @Test
    void useLatestVersionWithoutAnySubjectIsARequestError() {
        try (KafkaAvroSerializer latest = SerdeTestSupport.serializer(registry,
                AvroSerdeConfig.USE_LATEST_VERSION, true, AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false)) {
            RegistryRequestException failure = catchThrowableOfType(RegistryRequestException.class,
                    () -> latest.serialize(uniqueTopic("nothing"), greetingV1("x", 1)));
            assertThat(failure.errorCode()).isEqualTo(40401);
        }
    }

    @Test
    void theSerdeDoesNotRetryOnItsOwn() {
        registry.setAvailable(false);
        try (KafkaAvroSerializer serializer = SerdeTestSupport.serializer(registry)) {
            assertThatThrownBy(() -> serializer.serialize("t", "x")).isInstanceOf(RegistryUnavailableException.class);
        }
        assertThat(registry.callCount()).isEqualTo(1);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
