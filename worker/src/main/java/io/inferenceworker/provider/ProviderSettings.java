package io.inferenceworker.provider;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.convert.format.MapFormat;
import io.micronaut.core.naming.conventions.StringConvention;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One provider instance, {@code providers.<name>.*}. Jobs name the instance in their {@code provider} field.
 *
 * <p>The base URL comes from here only, never from a request. The API key comes from configuration, normally an
 * environment placeholder such as {@code ${VULTR_API_KEY:}}, and is never logged: {@link #toString()} omits it.
 * Defaults: connect timeout {@link #DEFAULT_CONNECT_TIMEOUT}, unlimited rates, concurrency
 * {@value #DEFAULT_MAX_CONCURRENCY}, circuit breaker on, https required for non-loopback hosts. How the concurrency
 * limit, rate limits and circuit breaker act is described in {@code provider.guard.ProviderGuard}.
 */
@EachProperty("providers")
public class ProviderSettings {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_CONCURRENCY = 4096;

    private final String name;
    private String type;
    private URI baseUrl;
    private String apiKey;
    private String defaultModel;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private int maxConcurrency = DEFAULT_MAX_CONCURRENCY;
    private boolean allowInsecureHttp;
    private Map<String, String> options = new LinkedHashMap<>();
    private final Retry retry;
    private final RateLimit rateLimit;
    private final CircuitBreaker circuitBreaker;
    private final Price price;

    /**
     * Nested blocks are {@code @Nullable}: Micronaut creates a nested {@code @ConfigurationProperties} bean only when
     * one of its properties is set, and an instance without, say, a {@code price} block must still bind (the
     * defaults then apply).
     */
    public ProviderSettings(@Parameter String name, @Nullable Retry retry, @Nullable RateLimit rateLimit,
                            @Nullable CircuitBreaker circuitBreaker, @Nullable Price price) {
        this.name = Objects.requireNonNull(name, "name");
        this.retry = retry == null ? new Retry() : retry;
        this.rateLimit = rateLimit == null ? new RateLimit() : rateLimit;
        this.circuitBreaker = circuitBreaker == null ? new CircuitBreaker() : circuitBreaker;
        this.price = price == null ? new Price() : price;
    }

    /** The instance name (the key under {@code providers}). */
    public String getName() {
        return name;
    }

    /** The dialect: {@code openai}, {@code vultr}, {@code elastic}, {@code nvidia}, {@code nscale}. */
    public String getType() {
        return type;
    }

    public void setType(String type) {
        this.type = type;
    }

    public URI getBaseUrl() {
        return baseUrl;
    }

    public void setBaseUrl(URI baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** The secret. Never log it; adapters put it in the auth header and nowhere else. */
    public String getApiKey() {
        return apiKey;
    }

    public void setApiKey(String apiKey) {
        this.apiKey = apiKey;
    }

    /** Model used when a request names none (Elasticsearch: the inference ID). */
    public String getDefaultModel() {
        return defaultModel;
    }

    public void setDefaultModel(String defaultModel) {
        this.defaultModel = defaultModel;
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    /** Concurrent calls allowed to this instance; more jobs wait (within their retry window). */
    public int getMaxConcurrency() {
        return maxConcurrency;
    }

    public void setMaxConcurrency(int maxConcurrency) {
        this.maxConcurrency = maxConcurrency;
    }

    /** Allow {@code http://} to a non-loopback host. Off by default: keys would cross the network in clear. */
    public boolean isAllowInsecureHttp() {
        return allowInsecureHttp;
    }

    public void setAllowInsecureHttp(boolean allowInsecureHttp) {
        this.allowInsecureHttp = allowInsecureHttp;
    }

    /** Dialect-specific settings, e.g. {@code rating-path} (Vultr), {@code status-url} (NVIDIA). */
    public Map<String, String> getOptions() {
        return options;
    }

    public void setOptions(
            @MapFormat(transformation = MapFormat.MapTransformation.FLAT, keyFormat = StringConvention.RAW)
            Map<String, String> options) {
        this.options = options == null ? new LinkedHashMap<>() : new LinkedHashMap<>(options);
    }

    public Retry getRetry() {
        return retry;
    }

    public RateLimit getRateLimit() {
        return rateLimit;
    }

    public CircuitBreaker getCircuitBreaker() {
        return circuitBreaker;
    }

    public Price getPrice() {
        return price;
    }

    @Override
    public String toString() {
        return "ProviderSettings[name=" + name + ", type=" + type + ", baseUrl=" + baseUrl
                + ", apiKey=" + (apiKey == null || apiKey.isEmpty() ? "<none>" : "<redacted>") + "]";
    }

    /** {@code providers.<name>.retry.*}; defaults in {@link RetryConfig}. */
    @ConfigurationProperties("retry")
    public static class Retry {
        private int maxAttempts = RetryConfig.DEFAULT_MAX_ATTEMPTS;
        private Duration initialBackoff = RetryConfig.DEFAULT_INITIAL_BACKOFF;
        private Duration maxBackoff = RetryConfig.DEFAULT_MAX_BACKOFF;
        private Duration window = RetryConfig.DEFAULT_WINDOW;
        private Duration attemptTimeout = RetryConfig.DEFAULT_ATTEMPT_TIMEOUT;

        public int getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public Duration getInitialBackoff() {
            return initialBackoff;
        }

        public void setInitialBackoff(Duration initialBackoff) {
            this.initialBackoff = initialBackoff;
        }

        public Duration getMaxBackoff() {
            return maxBackoff;
        }

        public void setMaxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
        }

        public Duration getWindow() {
            return window;
        }

        public void setWindow(Duration window) {
            this.window = window;
        }

        public Duration getAttemptTimeout() {
            return attemptTimeout;
        }

        public void setAttemptTimeout(Duration attemptTimeout) {
            this.attemptTimeout = attemptTimeout;
        }

        /** Validates and freezes these settings. */
        public RetryConfig toConfig() {
            return new RetryConfig(maxAttempts, initialBackoff, maxBackoff, window, attemptTimeout);
        }
    }

    /**
     * {@code providers.<name>.rate-limit.*}: 0 (the default) means unlimited. {@code tokens-per-minute} is 0 or at
     * least 60. A call's tokens are estimated before it is made (prompt UTF-8 bytes / 4, plus {@code max_tokens}, or
     * {@code default-completion-tokens} ({@value #DEFAULT_COMPLETION_TOKENS}) when the request sets none, times
     * {@code n}) and reconciled with the usage the provider reports; see {@code provider.guard.ProviderGuard}.
     */
    @ConfigurationProperties("rate-limit")
    public static class RateLimit {
        public static final int DEFAULT_COMPLETION_TOKENS = 1024;

        private int requestsPerMinute;
        private int tokensPerMinute;
        private int defaultCompletionTokens = DEFAULT_COMPLETION_TOKENS;

        public int getRequestsPerMinute() {
            return requestsPerMinute;
        }

        public void setRequestsPerMinute(int requestsPerMinute) {
            this.requestsPerMinute = requestsPerMinute;
        }

        public int getTokensPerMinute() {
            return tokensPerMinute;
        }

        public void setTokensPerMinute(int tokensPerMinute) {
            this.tokensPerMinute = tokensPerMinute;
        }

        /** Completion tokens assumed for a request without {@code max_tokens}, per choice. */
        public int getDefaultCompletionTokens() {
            return defaultCompletionTokens;
        }

        public void setDefaultCompletionTokens(int defaultCompletionTokens) {
            this.defaultCompletionTokens = defaultCompletionTokens;
        }
    }

    /**
     * {@code providers.<name>.circuit-breaker.*}. Defaults: enabled; opens when {@value #DEFAULT_FAILURE_RATE}% of
     * the last {@value #DEFAULT_WINDOW_SIZE} calls failed with an outage (5xx, timeout, connection failure), judged
     * once at least {@value #DEFAULT_MINIMUM_CALLS} calls were recorded; stays open {@link #DEFAULT_OPEN_DURATION};
     * then lets {@value #DEFAULT_HALF_OPEN_CALLS} trial calls through to decide whether to close. Terminal 4xx answers
     * count as successes; 409/425/429 and local rate-limit waits are not recorded at all.
     */
    @ConfigurationProperties("circuit-breaker")
    public static class CircuitBreaker {
        public static final int DEFAULT_FAILURE_RATE = 50;
        public static final int DEFAULT_WINDOW_SIZE = 50;
        public static final int DEFAULT_MINIMUM_CALLS = 10;
        public static final int DEFAULT_HALF_OPEN_CALLS = 3;
        public static final Duration DEFAULT_OPEN_DURATION = Duration.ofSeconds(10);

        private boolean enabled = true;
        private int failureRateThreshold = DEFAULT_FAILURE_RATE;
        private int slidingWindowSize = DEFAULT_WINDOW_SIZE;
        private int minimumCalls = DEFAULT_MINIMUM_CALLS;
        private int halfOpenCalls = DEFAULT_HALF_OPEN_CALLS;
        private Duration openDuration = DEFAULT_OPEN_DURATION;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getFailureRateThreshold() {
            return failureRateThreshold;
        }

        public void setFailureRateThreshold(int failureRateThreshold) {
            this.failureRateThreshold = failureRateThreshold;
        }

        public int getSlidingWindowSize() {
            return slidingWindowSize;
        }

        public void setSlidingWindowSize(int slidingWindowSize) {
            this.slidingWindowSize = slidingWindowSize;
        }

        /** Calls recorded before the failure rate is judged (capped at the sliding window size). */
        public int getMinimumCalls() {
            return minimumCalls;
        }

        public void setMinimumCalls(int minimumCalls) {
            this.minimumCalls = minimumCalls;
        }

        /** Trial calls let through when the open duration has passed. */
        public int getHalfOpenCalls() {
            return halfOpenCalls;
        }

        public void setHalfOpenCalls(int halfOpenCalls) {
            this.halfOpenCalls = halfOpenCalls;
        }

        public Duration getOpenDuration() {
            return openDuration;
        }

        public void setOpenDuration(Duration openDuration) {
            this.openDuration = openDuration;
        }
    }

    /**
     * {@code providers.<name>.price.*}: the price table for estimated cost, per million tokens, by model; the entry
     * {@code default} applies to models not listed. Example: {@code price.input-per-million.default: 0.2}.
     */
    @ConfigurationProperties("price")
    public static class Price {
        private String currency = "USD";
        private Map<String, Double> inputPerMillion = new LinkedHashMap<>();
        private Map<String, Double> outputPerMillion = new LinkedHashMap<>();

        public String getCurrency() {
            return currency;
        }

        public void setCurrency(String currency) {
            this.currency = currency;
        }

        public Map<String, Double> getInputPerMillion() {
            return inputPerMillion;
        }

        public void setInputPerMillion(
            @MapFormat(transformation = MapFormat.MapTransformation.FLAT, keyFormat = StringConvention.RAW)
            Map<String, Double> inputPerMillion) {
            this.inputPerMillion = inputPerMillion;
        }

        public Map<String, Double> getOutputPerMillion() {
            return outputPerMillion;
        }

        public void setOutputPerMillion(
            @MapFormat(transformation = MapFormat.MapTransformation.FLAT, keyFormat = StringConvention.RAW)
            Map<String, Double> outputPerMillion) {
            this.outputPerMillion = outputPerMillion;
        }
    }
}
