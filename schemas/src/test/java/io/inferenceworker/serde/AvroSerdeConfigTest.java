package io.inferenceworker.serde;

import static io.inferenceworker.serde.SerdeTestSupport.configForUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class AvroSerdeConfigTest {

    private static final String URL = "http://127.0.0.1:1";

    @Test
    void defaultsAreConfluents() {
        AvroSerdeConfig config = AvroSerdeConfig.from(configForUrl(URL));
        assertThat(config.autoRegisterSchemas()).isTrue();
        assertThat(config.useLatestVersion()).isFalse();
        assertThat(config.specificAvroReader()).isFalse();
        assertThat(config.latestCacheTtl()).isEmpty();
        assertThat(config.maxSchemasPerSubject()).isEqualTo(1000);
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.readTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(AvroSerdeConfig.configDef().names()).contains(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG,
                AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION, AvroSerdeConfig.LATEST_COMPATIBILITY_STRICT);
    }

    @Test
    void topicNameStrategyIsAcceptedByNameOrClassAndNothingElse() {
        AvroSerdeConfig.from(configForUrl(URL,
                AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY, AvroSerdeConfig.TOPIC_NAME_STRATEGY));
        String other = "io.confluent.kafka.serializers.subject.RecordNameStrategy";
        assertThatThrownBy(() -> AvroSerdeConfig.from(configForUrl(URL, AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY, other)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(other)
                .hasMessageContaining(AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY);
        assertThatThrownBy(() -> AvroSerdeConfig.from(configForUrl(URL, AvroSerdeConfig.KEY_SUBJECT_NAME_STRATEGY,
                String.class)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("java.lang.String");
        // Rejected when Kafka configures the serializer, before any record.
        assertThatThrownBy(() -> new KafkaAvroSerializer().configure(
                configForUrl(URL, AvroSerdeConfig.KEY_SUBJECT_NAME_STRATEGY, other), true))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void unsupportedOrContradictoryAuthenticationIsRefusedByKeyName() {
        assertRefused(Map.of(AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "SASL_INHERIT"), "SASL_INHERIT");
        assertRefused(Map.of(AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO"),
                AvroSerdeConfig.USER_INFO_CONFIG);
        assertRefused(Map.of(AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO",
                AvroSerdeConfig.USER_INFO_CONFIG, "no-colon-SECRET"), "user:password");
        assertRefused(Map.of(AvroSerdeConfig.USER_INFO_CONFIG, "u:SECRET"), "USER_INFO");
        assertRefused(Map.of(AvroSerdeConfig.BEARER_AUTH_TOKEN_CONFIG, "SECRET"), "STATIC_TOKEN");
        assertRefused(Map.of(AvroSerdeConfig.BEARER_AUTH_CREDENTIALS_SOURCE, "OAUTHBEARER"), "STATIC_TOKEN");
        assertRefused(Map.of(AvroSerdeConfig.BEARER_AUTH_CREDENTIALS_SOURCE, "STATIC_TOKEN"),
                AvroSerdeConfig.BEARER_AUTH_TOKEN_CONFIG);
        assertRefused(Map.of(AvroSerdeConfig.BEARER_AUTH_CREDENTIALS_SOURCE, "STATIC_TOKEN",
                AvroSerdeConfig.BEARER_AUTH_TOKEN_CONFIG, "SECRET",
                AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO",
                AvroSerdeConfig.USER_INFO_CONFIG, "u:SECRET"), "both basic and bearer");
        assertRefused(Map.of(AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "KERBEROS"), "URL or USER_INFO");
    }

    @Test
    void urlsAreRequiredAndValidatedWithoutEchoingUserInfo() {
        assertThatThrownBy(() -> new RestSchemaRegistryClient(AvroSerdeConfig.from(Map.of())))
                .isInstanceOf(ConfigException.class).hasMessageContaining(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG);
        assertThatThrownBy(() -> new KafkaAvroDeserializer().configure(Map.of(), false))
                .isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> new RestSchemaRegistryClient(AvroSerdeConfig.from(
                configForUrl("ftp://u:SECRET@host:1"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("http:// or https://")
                .hasMessageNotContaining("SECRET");
        assertThatThrownBy(() -> new RestSchemaRegistryClient(AvroSerdeConfig.from(
                configForUrl("http://u:SEC RET@host:1"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("#1")
                .hasMessageNotContaining("SEC RET");
    }

    @Test
    void secretsPrintAsHidden() {
        AvroSerdeConfig config = AvroSerdeConfig.from(configForUrl("http://user:URL-SECRET@127.0.0.1:1",
                AvroSerdeConfig.SSL_TRUSTSTORE_PASSWORD, "TRUST-SECRET",
                AvroSerdeConfig.SSL_KEYSTORE_PASSWORD, "KEY-SECRET"));
        assertThat(config.toString()).doesNotContain("SECRET").contains("http://127.0.0.1:1");
        assertThat(config.password(AvroSerdeConfig.SSL_TRUSTSTORE_PASSWORD).toString()).isEqualTo("[hidden]");
        try (RestSchemaRegistryClient client = new RestSchemaRegistryClient(config)) {
            assertThat(client.toString()).doesNotContain("SECRET");
        }
    }

    @Test
    void malformedValuesNameTheirKey() {
        assertThatThrownBy(() -> AvroSerdeConfig.from(configForUrl(URL, AvroSerdeConfig.MAX_SCHEMAS_PER_SUBJECT_CONFIG, 0)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(AvroSerdeConfig.MAX_SCHEMAS_PER_SUBJECT_CONFIG);
        assertThatThrownBy(() -> AvroSerdeConfig.from(configForUrl(URL, AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, "maybe")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS);
        assertThatThrownBy(() -> new RestSchemaRegistryClient(AvroSerdeConfig.from(configForUrl(URL,
                AvroSerdeConfig.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM, "ldaps"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(AvroSerdeConfig.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM);
    }

    private static void assertRefused(Map<String, Object> extra, String expectedInMessage) {
        Map<String, Object> config = new java.util.HashMap<>(configForUrl(URL));
        config.putAll(extra);
        assertThatThrownBy(() -> AvroSerdeConfig.from(config))
                .as("%s", extra.keySet())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(expectedInMessage)
                .hasMessageNotContaining("SECRET");
    }
}
