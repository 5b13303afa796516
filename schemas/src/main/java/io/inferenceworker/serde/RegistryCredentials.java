package io.inferenceworker.serde;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Decides the {@code Authorization} header for each registry URL from the Confluent authentication keys:
 * HTTP Basic from the URL's user info (source URL, the default) or from {@code basic.auth.user.info}
 * (source USER_INFO), or a static bearer token. Refuses contradictory or unsupported combinations up front,
 * with messages that name keys but never values.
 */
final class RegistryCredentials {

    private static final String URL = "URL";
    private static final String USER_INFO = "USER_INFO";
    private static final String STATIC_TOKEN = "STATIC_TOKEN";

    private RegistryCredentials() {
    }

    /** Throws {@link ConfigException} if the authentication keys are unsupported or contradict each other. */
    static void validate(AvroSerdeConfig config) {
        String basicSource = basicSource(config);
        Password userInfo = userInfo(config);
        String bearerSource = bearerSource(config);
        Password token = config.password(AvroSerdeConfig.BEARER_AUTH_TOKEN_CONFIG);
        switch (basicSource) {
            case URL -> {
                if (userInfo != null) {
                    throw new ConfigException(AvroSerdeConfig.USER_INFO_CONFIG + " is set but "
                            + AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE + " is URL; set it to USER_INFO");
                }
            }
            case USER_INFO -> {
                if (userInfo == null || userInfo.value().indexOf(':') < 0) {
                    throw new ConfigException(AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE + " is USER_INFO, so "
                            + AvroSerdeConfig.USER_INFO_CONFIG + " must be set to user:password");
                }
            }
            case "SASL_INHERIT" -> throw new ConfigException(AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE
                    + "=SASL_INHERIT is not supported by io.inferenceworker.serde; use USER_INFO with "
                    + AvroSerdeConfig.USER_INFO_CONFIG);
            default -> throw new ConfigException(AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE + " must be URL or "
                    + "USER_INFO, not " + basicSource);
        }
        if (bearerSource == null) {
            if (token != null) {
                throw new ConfigException(AvroSerdeConfig.BEARER_AUTH_TOKEN_CONFIG + " is set but "
                        + AvroSerdeConfig.BEARER_AUTH_CREDENTIALS_SOURCE + " is not STATIC_TOKEN");
            }
            return;
        }
        if (!STATIC_TOKEN.equals(bearerSource)) {
            throw new ConfigException(AvroSerdeConfig.BEARER_AUTH_CREDENTIALS_SOURCE + " must be STATIC_TOKEN, not "
                    + bearerSource + " (the only bearer source io.inferenceworker.serde supports)");
        }
        if (token == null || token.value().isBlank()) {
            throw new ConfigException(AvroSerdeConfig.BEARER_AUTH_CREDENTIALS_SOURCE + " is STATIC_TOKEN, so "
                    + AvroSerdeConfig.BEARER_AUTH_TOKEN_CONFIG + " must be set");
        }
        boolean basicToo = USER_INFO.equals(basicSource) || config.schemaRegistryUrls().stream()
                .anyMatch(url -> url.contains("@") && userInfoOf(url) != null);
        if (basicToo) {
            throw new ConfigException("both basic and bearer authentication are configured for the schema registry; "
                    + "configure one");
        }
    }

    /** The header for requests to {@code url}, or {@code null} for none. {@code url} may carry user info. */
    static Password authorizationFor(AvroSerdeConfig config, URI url) {
        if (bearerSource(config) != null) {
            return new Password("Bearer " + config.password(AvroSerdeConfig.BEARER_AUTH_TOKEN_CONFIG).value());
        }
        if (USER_INFO.equals(basicSource(config))) {
            return basic(userInfo(config).value());
        }
        String fromUrl = url.getUserInfo();
        return fromUrl == null ? null : basic(fromUrl);
    }

    private static Password basic(String userInfo) {
        return new Password("Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
    }

    private static String userInfoOf(String url) {
        try {
            return URI.create(url).getUserInfo();
        } catch (IllegalArgumentException unparseable) {
            return null;
        }
    }

    private static String basicSource(AvroSerdeConfig config) {
        return config.string(AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE).trim().toUpperCase(Locale.ROOT);
    }

    private static String bearerSource(AvroSerdeConfig config) {
        String source = config.string(AvroSerdeConfig.BEARER_AUTH_CREDENTIALS_SOURCE);
        return source == null || source.isBlank() ? null : source.trim().toUpperCase(Locale.ROOT);
    }

    private static Password userInfo(AvroSerdeConfig config) {
        Password primary = config.password(AvroSerdeConfig.USER_INFO_CONFIG);
        return primary != null ? primary : config.password(AvroSerdeConfig.SCHEMA_REGISTRY_USER_INFO_CONFIG);
    }
}
