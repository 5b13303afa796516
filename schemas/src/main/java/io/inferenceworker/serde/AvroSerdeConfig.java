package io.inferenceworker.serde;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Configuration of the Avro serde and its registry client, read from the Kafka client properties with
 * Confluent's keys, so that a configuration works unchanged with Confluent's {@code KafkaAvroSerializer}.
 *
 * <table>
 *   <caption>Keys and defaults</caption>
 *   <tr><th>key</th><th>default</th></tr>
 *   <tr><td>{@value #SCHEMA_REGISTRY_URL_CONFIG}</td><td>none; required unless a client is passed in.
 *       Comma-separated; on connection failure, timeout or 5xx the next URL is tried</td></tr>
 *   <tr><td>{@value #AUTO_REGISTER_SCHEMAS}</td><td>true</td></tr>
 *   <tr><td>{@value #USE_LATEST_VERSION}</td><td>false; only applies with auto-register false (as in
 *       Confluent's serializer)</td></tr>
 *   <tr><td>{@value #LATEST_COMPATIBILITY_STRICT}</td><td>true; accepted but always strict: the value is
 *       resolved into the latest schema by Avro schema resolution or refused</td></tr>
 *   <tr><td>{@value #LATEST_CACHE_TTL}</td><td>-1 (the latest version is fetched once per subject)</td></tr>
 *   <tr><td>{@value #SPECIFIC_AVRO_READER_CONFIG}</td><td>false</td></tr>
 *   <tr><td>{@value #BASIC_AUTH_CREDENTIALS_SOURCE}</td><td>URL (user info of each registry URL, if any);
 *       USER_INFO takes {@value #USER_INFO_CONFIG}; SASL_INHERIT is not supported</td></tr>
 *   <tr><td>{@value #USER_INFO_CONFIG} (alias {@value #SCHEMA_REGISTRY_USER_INFO_CONFIG})</td>
 *       <td>none; {@code user:password}</td></tr>
 *   <tr><td>{@value #BEARER_AUTH_CREDENTIALS_SOURCE}</td><td>none; only STATIC_TOKEN</td></tr>
 *   <tr><td>{@value #BEARER_AUTH_TOKEN_CONFIG}</td><td>none</td></tr>
 *   <tr><td>{@value #KEY_SUBJECT_NAME_STRATEGY}, {@value #VALUE_SUBJECT_NAME_STRATEGY}</td>
 *       <td>{@value #TOPIC_NAME_STRATEGY}, the only one supported</td></tr>
 *   <tr><td>{@value #MAX_SCHEMAS_PER_SUBJECT_CONFIG}</td><td>1000: capacity of each client and reader
 *       cache</td></tr>
 *   <tr><td>{@value #HTTP_CONNECT_TIMEOUT_MS}, {@value #HTTP_READ_TIMEOUT_MS}</td><td>60000 each
 *       (Confluent's); the read timeout bounds each request until the response headers arrive</td></tr>
 *   <tr><td>{@code schema.registry.ssl.*}: truststore and keystore location/password/type (type default
 *       JKS, which also reads PKCS12), key password, endpoint identification algorithm</td>
 *       <td>JVM default trust; host name verification "https" (empty string disables it)</td></tr>
 * </table>
 * Unknown keys (the rest of the Kafka client properties) are ignored. Passwords, user info and tokens are
 * {@link Password}s: they print as {@code [hidden]} and never appear in messages.
 *
 * <p>Immutable and thread-safe.
 */
public final class AvroSerdeConfig {

    public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String USE_LATEST_VERSION = "use.latest.version";
    public static final String LATEST_COMPATIBILITY_STRICT = "latest.compatibility.strict";
    public static final String LATEST_CACHE_TTL = "latest.cache.ttl.sec";
    public static final String SPECIFIC_AVRO_READER_CONFIG = "specific.avro.reader";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String USER_INFO_CONFIG = "basic.auth.user.info";
    public static final String SCHEMA_REGISTRY_USER_INFO_CONFIG = "schema.registry.basic.auth.user.info";
    public static final String BEARER_AUTH_CREDENTIALS_SOURCE = "bearer.auth.credentials.source";
    public static final String BEARER_AUTH_TOKEN_CONFIG = "bearer.auth.token";
    public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
    public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";
    public static final String MAX_SCHEMAS_PER_SUBJECT_CONFIG = "max.schemas.per.subject";
    public static final String HTTP_CONNECT_TIMEOUT_MS = "http.connect.timeout.ms";
    public static final String HTTP_READ_TIMEOUT_MS = "http.read.timeout.ms";
    public static final String SSL_TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
    public static final String SSL_TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
    public static final String SSL_TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
    public static final String SSL_KEYSTORE_LOCATION = "schema.registry.ssl.keystore.location";
    public static final String SSL_KEYSTORE_PASSWORD = "schema.registry.ssl.keystore.password";
    public static final String SSL_KEYSTORE_TYPE = "schema.registry.ssl.keystore.type";
    public static final String SSL_KEY_PASSWORD = "schema.registry.ssl.key.password";
    public static final String SSL_ENDPOINT_IDENTIFICATION_ALGORITHM =
            "schema.registry.ssl.endpoint.identification.algorithm";

    /** Default of {@value #MAX_SCHEMAS_PER_SUBJECT_CONFIG}: capacity of each schema and reader cache. */
    public static final int DEFAULT_MAX_SCHEMAS_PER_SUBJECT = 1000;

    /** Confluent's TopicNameStrategy: subject {@code <topic>-key} / {@code <topic>-value}. */
    public static final String TOPIC_NAME_STRATEGY = "io.confluent.kafka.serializers.subject.TopicNameStrategy";

    private static final ConfigDef CONFIG_DEF = newConfigDef();

    private final Map<String, Object> values;

    private AvroSerdeConfig(Map<String, Object> values) {
        this.values = values;
    }

    /**
     * Parses and validates the serde's keys out of Kafka client properties.
     *
     * @throws ConfigException naming the key (never a secret value) if a value is malformed or unsupported
     */
    public static AvroSerdeConfig from(Map<String, ?> configs) {
        Objects.requireNonNull(configs, "configs");
        Map<String, Object> input = new HashMap<>(configs);
        for (String strategyKey : List.of(KEY_SUBJECT_NAME_STRATEGY, VALUE_SUBJECT_NAME_STRATEGY)) {
            // Confluent users often pass the strategy as a Class object; compare by name.
            if (input.get(strategyKey) instanceof Class<?> strategyClass) {
                input.put(strategyKey, strategyClass.getName());
            }
        }
        AvroSerdeConfig config = new AvroSerdeConfig(CONFIG_DEF.parse(input));
        config.requireTopicNameStrategy(KEY_SUBJECT_NAME_STRATEGY);
        config.requireTopicNameStrategy(VALUE_SUBJECT_NAME_STRATEGY);
        RegistryCredentials.validate(config);
        return config;
    }

    /** A fresh copy of the definition of every key, e.g. for generated documentation. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG_DEF);
    }

    /** The registry URLs as configured (they may carry user info: never log them unsanitised). */
    List<String> schemaRegistryUrls() {
        @SuppressWarnings("unchecked")
        List<String> urls = (List<String>) values.get(SCHEMA_REGISTRY_URL_CONFIG);
        return urls.stream().map(String::trim).filter(url -> !url.isEmpty()).toList();
    }

    public boolean autoRegisterSchemas() {
        return (Boolean) values.get(AUTO_REGISTER_SCHEMAS);
    }

    public boolean useLatestVersion() {
        return (Boolean) values.get(USE_LATEST_VERSION);
    }

    /** How long a fetched latest version is trusted; empty means until the client is closed. */
    public Optional<Duration> latestCacheTtl() {
        long seconds = (Long) values.get(LATEST_CACHE_TTL);
        return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
    }

    public boolean specificAvroReader() {
        return (Boolean) values.get(SPECIFIC_AVRO_READER_CONFIG);
    }

    public int maxSchemasPerSubject() {
        return (Integer) values.get(MAX_SCHEMAS_PER_SUBJECT_CONFIG);
    }

    public Duration connectTimeout() {
        return Duration.ofMillis((Integer) values.get(HTTP_CONNECT_TIMEOUT_MS));
    }

    public Duration readTimeout() {
        return Duration.ofMillis((Integer) values.get(HTTP_READ_TIMEOUT_MS));
    }

    String string(String key) {
        return (String) values.get(key);
    }

    Password password(String key) {
        return (Password) values.get(key);
    }

    @Override
    public String toString() {
        return "AvroSerdeConfig[registries=" + schemaRegistryUrls().stream().map(RegistryEndpoint::sanitize).toList()
                + ", autoRegisterSchemas=" + autoRegisterSchemas()
                + ", useLatestVersion=" + useLatestVersion()
                + ", specificAvroReader=" + specificAvroReader()
                + ", basicAuthSource=" + string(BASIC_AUTH_CREDENTIALS_SOURCE)
                + ", bearerAuthSource=" + string(BEARER_AUTH_CREDENTIALS_SOURCE) + "]";
    }

    private void requireTopicNameStrategy(String key) {
        String strategy = string(key);
        if (!TOPIC_NAME_STRATEGY.equals(strategy)) {
            throw new ConfigException(key + " is " + strategy + ", but only " + TOPIC_NAME_STRATEGY
                    + " is supported by io.inferenceworker.serde (subjects <topic>-key and <topic>-value)");
        }
    }

    private static ConfigDef newConfigDef() {
        return new ConfigDef()
                .define(SCHEMA_REGISTRY_URL_CONFIG, Type.LIST, List.of(), Importance.HIGH,
                        "Comma-separated schema registry URLs; the next one is tried when one cannot be reached.")
                .define(AUTO_REGISTER_SCHEMAS, Type.BOOLEAN, true, Importance.MEDIUM,
                        "Serializer: register the value's schema under the subject if needed.")
                .define(USE_LATEST_VERSION, Type.BOOLEAN, false, Importance.MEDIUM,
                        "Serializer: write with the subject's latest registered schema; needs "
                                + AUTO_REGISTER_SCHEMAS + "=false.")
                .define(LATEST_COMPATIBILITY_STRICT, Type.BOOLEAN, true, Importance.LOW,
                        "Accepted for compatibility; always strict: the value must resolve into the latest schema.")
                .define(LATEST_CACHE_TTL, Type.LONG, -1L, Importance.LOW,
                        "Seconds a fetched latest version is trusted; -1 for ever.")
                .define(SPECIFIC_AVRO_READER_CONFIG, Type.BOOLEAN, false, Importance.MEDIUM,
                        "Deserializer: return generated SpecificRecord classes instead of GenericRecord.")
                .define(BASIC_AUTH_CREDENTIALS_SOURCE, Type.STRING, "URL", Importance.MEDIUM,
                        "Where HTTP Basic credentials come from: URL or USER_INFO.")
                .define(USER_INFO_CONFIG, Type.PASSWORD, null, Importance.MEDIUM,
                        "user:password for HTTP Basic authentication with USER_INFO.")
                .define(SCHEMA_REGISTRY_USER_INFO_CONFIG, Type.PASSWORD, null, Importance.LOW,
                        "Alias of " + USER_INFO_CONFIG + ".")
                .define(BEARER_AUTH_CREDENTIALS_SOURCE, Type.STRING, null, Importance.MEDIUM,
                        "Where the bearer token comes from: STATIC_TOKEN.")
                .define(BEARER_AUTH_TOKEN_CONFIG, Type.PASSWORD, null, Importance.MEDIUM,
                        "The bearer token for STATIC_TOKEN.")
                .define(KEY_SUBJECT_NAME_STRATEGY, Type.STRING, TOPIC_NAME_STRATEGY, Importance.LOW,
                        "Subject naming of keys; only TopicNameStrategy.")
                .define(VALUE_SUBJECT_NAME_STRATEGY, Type.STRING, TOPIC_NAME_STRATEGY, Importance.LOW,
                        "Subject naming of values; only TopicNameStrategy.")
                .define(MAX_SCHEMAS_PER_SUBJECT_CONFIG, Type.INT, DEFAULT_MAX_SCHEMAS_PER_SUBJECT,
                        ConfigDef.Range.atLeast(1), Importance.LOW,
                        "Capacity of each schema and reader cache.")
                .define(HTTP_CONNECT_TIMEOUT_MS, Type.INT, 60_000, ConfigDef.Range.atLeast(1), Importance.LOW,
                        "Registry connection timeout in milliseconds.")
                .define(HTTP_READ_TIMEOUT_MS, Type.INT, 60_000, ConfigDef.Range.atLeast(1), Importance.LOW,
                        "Registry request timeout in milliseconds (until the response headers arrive).")
                .define(SSL_TRUSTSTORE_LOCATION, Type.STRING, null, Importance.MEDIUM,
                        "Trust store of the registry's CA; JVM default trust when unset.")
                .define(SSL_TRUSTSTORE_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM, "Trust store password.")
                .define(SSL_TRUSTSTORE_TYPE, Type.STRING, "JKS", Importance.LOW, "Trust store type.")
                .define(SSL_KEYSTORE_LOCATION, Type.STRING, null, Importance.MEDIUM,
                        "Key store with the client certificate for mutual TLS.")
                .define(SSL_KEYSTORE_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM, "Key store password.")
                .define(SSL_KEYSTORE_TYPE, Type.STRING, "JKS", Importance.LOW, "Key store type.")
                .define(SSL_KEY_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM,
                        "Private key password; the key store password when unset.")
                .define(SSL_ENDPOINT_IDENTIFICATION_ALGORITHM, Type.STRING, "https", Importance.LOW,
                        "https verifies the registry's host name against its certificate; empty disables it.");
    }
}
