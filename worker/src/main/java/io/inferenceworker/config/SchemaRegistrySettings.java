package io.inferenceworker.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.convert.format.MapFormat;
import io.micronaut.core.naming.conventions.StringConvention;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Schema Registry, {@code schema-registry.*}: the URL and any serde property under Confluent's own keys
 * ({@code basic.auth.credentials.source}, {@code basic.auth.user.info}, {@code bearer.auth.token},
 * {@code schema.registry.ssl.*}, {@code auto.register.schemas}, ...) in {@code schema-registry.properties}.
 * Default URL {@value #DEFAULT_URL}.
 */
@ConfigurationProperties("schema-registry")
public class SchemaRegistrySettings {
    public static final String DEFAULT_URL = "http://localhost:8081";

    private String url = DEFAULT_URL;
    private Map<String, String> properties = new LinkedHashMap<>();

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public Map<String, String> getProperties() {
        return properties;
    }

    public void setProperties(
            @MapFormat(transformation = MapFormat.MapTransformation.FLAT, keyFormat = StringConvention.RAW)
            Map<String, String> properties) {
        this.properties = properties == null ? new LinkedHashMap<>() : new LinkedHashMap<>(properties);
    }

    /** Serde configuration: {@code schema.registry.url} plus the pass-through properties. */
    public Map<String, Object> serdeProperties() {
        Map<String, Object> props = new HashMap<>(properties);
        props.put("schema.registry.url", url);
        return props;
    }
}
