package io.inferenceworker.serde;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * One registry base URL without user info, with the {@code Authorization} header its requests carry
 * ({@code null} for none). Prints as the sanitised URL only.
 */
record RegistryEndpoint(URI base, Password authorization) {

    /** The endpoints of {@code schema.registry.url}, in configured order. */
    static List<RegistryEndpoint> of(AvroSerdeConfig config) {
        List<String> urls = config.schemaRegistryUrls();
        if (urls.isEmpty()) {
            throw new ConfigException(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG
                    + " must name at least one schema registry URL");
        }
        List<RegistryEndpoint> endpoints = new ArrayList<>(urls.size());
        for (int i = 0; i < urls.size(); i++) {
            URI url = parse(urls.get(i), i + 1);
            endpoints.add(new RegistryEndpoint(withoutUserInfo(url),
                    RegistryCredentials.authorizationFor(config, url)));
        }
        return List.copyOf(endpoints);
    }

    /** {@code url} without user info, query or fragment, for messages and logs. */
    static String sanitize(String url) {
        try {
            URI uri = new URI(url.trim());
            return uri.getScheme() == null || uri.getHost() == null
                    ? "[unparseable URL]"
                    : withoutUserInfo(uri).toString();
        } catch (URISyntaxException | IllegalArgumentException unparseable) {
            return "[unparseable URL]";
        }
    }

    /** The full URI of {@code path} (already percent-encoded) under this endpoint. */
    URI resolve(String encodedPath) {
        return URI.create(base + encodedPath);
    }

    @Override
    public String toString() {
        return base.toString();
    }

    private static URI parse(String url, int position) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                throw new ConfigException(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG + " entry #" + position
                        + " must be an http:// or https:// URL with a host (" + sanitize(url) + ")");
            }
            return uri;
        } catch (URISyntaxException malformed) {
            // The text may carry user info: name the position only.
            throw new ConfigException(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG + " entry #" + position
                    + " is not a valid URL");
        }
    }

    private static URI withoutUserInfo(URI url) {
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String port = url.getPort() < 0 ? "" : ":" + url.getPort();
        String host = url.getHost() == null ? "" : url.getHost();
        return URI.create(url.getScheme().toLowerCase(Locale.ROOT) + "://" + host + port + path);
    }
}
