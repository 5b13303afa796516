package io.inferenceworker.serde;

import static io.inferenceworker.serde.SerdeTestSupport.configForUrl;
import static io.inferenceworker.serde.SerdeTestSupport.greetingV1;
import static io.inferenceworker.serde.SerdeTestSupport.uniqueTopic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.inferenceworker.testkit.EmbeddedSchemaRegistry;

/** Basic (user info or URL) and bearer authentication; secrets never show. */
class AuthenticationTest {

    private static final String USER = "fred";
    private static final String PASSWORD = "pa:ss-w0rd-SECRET";
    private static final String TOKEN = "eyJ-TOKEN-SECRET";

    private static EmbeddedSchemaRegistry basic;
    private static EmbeddedSchemaRegistry bearer;

    @BeforeAll
    static void start() {
        basic = EmbeddedSchemaRegistry.builder().withBasicAuth(USER, PASSWORD).start();
        bearer = EmbeddedSchemaRegistry.builder().withBearerToken(TOKEN).start();
    }

    @AfterAll
    static void stop() {
        basic.close();
        bearer.close();
    }

    @Test
    void basicAuthFromUserInfo() {
        assertRoundTrip(configForUrl(basic.url(),
                AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO",
                AvroSerdeConfig.USER_INFO_CONFIG, USER + ":" + PASSWORD));
    }

    @Test
    void basicAuthFromTheLegacyAlias() {
        assertRoundTrip(configForUrl(basic.url(),
                AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO",
                AvroSerdeConfig.SCHEMA_REGISTRY_USER_INFO_CONFIG, USER + ":" + PASSWORD));
    }

    @Test
    void basicAuthFromTheUrl() {
        String url = "http://" + USER + ":" + PASSWORD.replace(":", "%3A") + "@127.0.0.1:" + basic.port();
        Map<String, Object> config = configForUrl(url);
        assertRoundTrip(config);
        assertThat(AvroSerdeConfig.from(config).toString()).doesNotContain("SECRET").contains("127.0.0.1");
    }

    @Test
    void bearerAuthWithAStaticToken() {
        assertRoundTrip(configForUrl(bearer.url(),
                AvroSerdeConfig.BEARER_AUTH_CREDENTIALS_SOURCE, "STATIC_TOKEN",
                AvroSerdeConfig.BEARER_AUTH_TOKEN_CONFIG, TOKEN));
    }

    @Test
    void wrongCredentialsAreAnAccessErrorThatNamesNoSecret() {
        String wrongPassword = "WRONG-SECRET";
        String url = "http://" + USER + ":" + wrongPassword + "@127.0.0.1:" + basic.port();
        for (Map<String, Object> config : java.util.List.of(
                configForUrl(basic.url(), AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO",
                        AvroSerdeConfig.USER_INFO_CONFIG, USER + ":" + wrongPassword),
                configForUrl(url),
                configForUrl(bearer.url(), AvroSerdeConfig.BEARER_AUTH_CREDENTIALS_SOURCE, "STATIC_TOKEN",
                        AvroSerdeConfig.BEARER_AUTH_TOKEN_CONFIG, wrongPassword))) {
            try (KafkaAvroSerializer serializer = new KafkaAvroSerializer()) {
                serializer.configure(config, false);
                RegistryAccessException failure = catchThrowableOfType(RegistryAccessException.class,
                        () -> serializer.serialize(uniqueTopic("denied"), greetingV1("x", 1)));
                assertThat(failure.httpStatus()).isEqualTo(401);
                assertThat(failure).hasMessageNotContaining("SECRET").hasMessageNotContaining(USER + ":");
                assertThat(String.valueOf(failure)).doesNotContain("SECRET");
            }
        }
    }

    private static void assertRoundTrip(Map<String, Object> config) {
        String topic = uniqueTopic("auth");
        try (KafkaAvroSerializer serializer = new KafkaAvroSerializer();
             KafkaAvroDeserializer deserializer = new KafkaAvroDeserializer()) {
            serializer.configure(config, false);
            deserializer.configure(config, false);
            assertThat(deserializer.deserialize(topic, serializer.serialize(topic, greetingV1("secured", 7))))
                    .isEqualTo(greetingV1("secured", 7));
        }
    }
}
