package io.inferenceworker.provider.nvidia;

import io.inferenceworker.provider.ProviderSettings;
import io.inferenceworker.provider.compat.RetryHints;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The NVIDIA-specific {@code providers.<name>.options.*}, parsed once at start-up. Defaults:
 * <ul>
 *   <li>{@value #STATUS_URL} ({@value #DEFAULT_STATUS_URL}): where 202 answers are polled, as
 *       {@code {status-url}/v2/nvcf/pexec/status/{reqId}} with the instance's API key. It receives the key, so it is
 *       held to the same rules as {@code base-url}: an absolute {@code https://} URL without credentials, query or
 *       fragment; {@code http://} only with {@code allow-insecure-http: true}, or to the host of an {@code http://}
 *       base URL (which the registry only accepts for loopback hosts or with that flag).</li>
 *   <li>{@value #POLL_INITIAL_INTERVAL} ({@code 100ms}): the wait before the first status poll; it doubles after each
 *       poll that still answers 202,</li>
 *   <li>up to {@value #POLL_MAX_INTERVAL} ({@code 1s}, at most {@code 60s}).</li>
 * </ul>
 * Durations are Go-style ({@code 250ms}, {@code 1s}).
 *
 * @param statusBase          the status service's base URL, without a trailing slash
 * @param pollInitialInterval the first wait between polls
 * @param pollMaxInterval     the longest wait between polls (a provider's {@code retry-after} may ask for more)
 */
record NvidiaOptions(URI statusBase, Duration pollInitialInterval, Duration pollMaxInterval) {
    static final String STATUS_URL = "status-url";
    static final String POLL_INITIAL_INTERVAL = "poll-initial-interval";
    static final String POLL_MAX_INTERVAL = "poll-max-interval";
    static final String DEFAULT_STATUS_URL = "https://api.nvcf.nvidia.com";
    static final Duration DEFAULT_POLL_INITIAL_INTERVAL = Duration.ofMillis(100);
    static final Duration DEFAULT_POLL_MAX_INTERVAL = Duration.ofSeconds(1);
    static final Duration MAX_POLL_INTERVAL = Duration.ofSeconds(60);

    NvidiaOptions {
        Objects.requireNonNull(statusBase, "statusBase");
        Objects.requireNonNull(pollInitialInterval, "pollInitialInterval");
        Objects.requireNonNull(pollMaxInterval, "pollMaxInterval");
    }

    /**
     * Reads the options of {@code settings}, applying the defaults above.
     *
     * @throws IllegalArgumentException naming the option when a value is invalid
     */
    static NvidiaOptions of(ProviderSettings settings) {
        Map<String, String> options = settings.getOptions();
        URI statusBase = statusBase(options.getOrDefault(STATUS_URL, DEFAULT_STATUS_URL), settings);
        Duration initial = duration(options, POLL_INITIAL_INTERVAL, DEFAULT_POLL_INITIAL_INTERVAL);
        Duration max = duration(options, POLL_MAX_INTERVAL, DEFAULT_POLL_MAX_INTERVAL);
        if (max.compareTo(MAX_POLL_INTERVAL) > 0) {
            throw new IllegalArgumentException("options." + POLL_MAX_INTERVAL + " must be at most 60s: "
                    + options.get(POLL_MAX_INTERVAL));
        }
        if (initial.compareTo(max) > 0) {
            throw new IllegalArgumentException("options." + POLL_INITIAL_INTERVAL + " must not exceed options."
                    + POLL_MAX_INTERVAL);
        }
        return new NvidiaOptions(statusBase, initial, max);
    }

    private static URI statusBase(String value, ProviderSettings settings) {
        String text = value.trim();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        String problem = "options." + STATUS_URL + " must be an absolute https:// URL with a host, without "
                + "credentials, query or fragment";
        URI url;
        try {
            url = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(problem);
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null || url.getRawUserInfo() != null
                || url.getRawQuery() != null || url.getRawFragment() != null) {
            throw new IllegalArgumentException(problem);
        }
        if (scheme.equals("http") && !settings.isAllowInsecureHttp() && !sameHttpHost(url, settings.getBaseUrl())) {
            throw new IllegalArgumentException("options." + STATUS_URL + " uses http:// to host " + url.getHost()
                    + ": the API key would cross the network unencrypted; use https://, or set allow-insecure-http: "
                    + "true");
        }
        return url;
    }

    /** True when {@code base} is also plain http to the same host: the registry vetted that host already. */
    private static boolean sameHttpHost(URI url, URI base) {
        return base != null && "http".equalsIgnoreCase(base.getScheme()) && base.getHost() != null
                && base.getHost().equalsIgnoreCase(url.getHost());
    }

    private static Duration duration(Map<String, String> options, String name, Duration fallback) {
        String value = options.get(name);
        if (value == null) {
            return fallback;
        }
        return RetryHints.parseGoDuration(value)
                .filter(d -> !d.isZero() && !d.isNegative())
                .orElseThrow(() -> new IllegalArgumentException("options." + name
                        + " must be a positive duration such as 250ms: " + value));
    }
}
