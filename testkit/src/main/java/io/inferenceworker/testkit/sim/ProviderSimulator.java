package io.inferenceworker.testkit.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A real HTTP server that speaks the chat-completion dialects of Vultr, the Elasticsearch inference API, the NVIDIA
 * API catalog, nscale and generic OpenAI-compatible servers, faults included. One instance serves every
 * {@link Dialect} under its own prefix ({@link #baseUrl(Dialect)}); it runs on the JDK's {@code HttpServer} with a
 * virtual thread per request and a backlog of 8192, so thousands of concurrent requests are cheap.
 *
 * <h2>Routes (below {@code baseUrl(dialect)})</h2>
 * <ul>
 *   <li>VULTR: {@code POST /v1/chat/completions}; {@code POST /v1/chat/completions/RAG} (or {@code /rag}; 400
 *       without {@code collection}); rating {@code POST /v1/chat/completions/{id}/rate} with
 *       {@code {"vote":"up"|"down"}} → 200 {@code {}}, 404 for an ID this simulator never issued (the real path is
 *       not public: <b>assumed</b>, change it with {@link Builder#withVultrRatingPath(String)});
 *       {@code GET /v1/models}; {@code GET /v1/health} → {@code {"status":"ok"}}. Replies have no {@code object};
 *       tool calls have no {@code id} and streamed tool-call fragments no {@code index} (as in Vultr's sample).
 *       Only the 1.2.0 reference's parameters (plus the guide's {@code tools}/{@code tool_choice} and RAG's
 *       {@code collection}) are accepted, others are a 400, unless
 *       {@link Builder#withVultrExtendedParameters(boolean)}; so streams carry no usage chunk by default.
 *       Error bodies use OpenAI's shape (Vultr's are undocumented: <b>assumed</b>).</li>
 *   <li>ELASTIC: {@code POST /_inference/chat_completion/{inference_id}/_stream} only (see the dialect notes:
 *       BOM-framed events, strict body parser, classic Elasticsearch errors for request/auth failures).</li>
 *   <li>NVIDIA: {@code POST /v1/chat/completions}, {@code GET /v2/nvcf/pexec/status/{reqId}} (202 polling),
 *       {@code GET /v1/models}. A body without {@code model} means {@code moonshotai/kimi-k2.6}.</li>
 *   <li>NSCALE, OPENAI: {@code POST /v1/chat/completions}, {@code GET /v1/models}.</li>
 *   <li>{@code GET /} on the root lists the base URLs (a health check for a standalone simulator).</li>
 * </ul>
 *
 * <h2>Request IDs and standard headers</h2>
 * VULTR, NSCALE, OPENAI: {@code x-request-id}. NVIDIA: {@code NVCF-REQID} (plus {@code NVCF-STATUS} on 202 and
 * polls). ELASTIC: {@code X-elastic-product: Elasticsearch}, {@code X-Cloud-Request-Id}, and {@code X-Opaque-Id}
 * echoed when sent. OPENAI also sends {@code x-ratelimit-limit|remaining|reset-requests|tokens} on every answer.
 *
 * <h2>Default answer</h2>
 * Deterministic: content is {@code "Echo: " + the first 60 characters of the last user message} (replace with
 * {@link Builder#withDefaultReply(UnaryOperator)}); with {@code response_format} {@code json_object} or
 * {@code json_schema} it is the JSON {@code {"answer": <that text>}}. IDs are {@code chatcmpl-<n>}. Tokens are
 * whitespace-separated words: {@code max_tokens}/{@code max_completion_tokens} below the word count cut the
 * content with {@code finish_reason: "length"}. Usage: {@code prompt_tokens} ≈ characters of all message texts / 4,
 * {@code completion_tokens} = words of content and reasoning (+ tool arguments / 4). Streams send a role chunk,
 * one chunk per word, a finish chunk, then (with {@code stream_options.include_usage}; always for ELASTIC) a usage
 * chunk with {@code choices: []}, then {@code [DONE]}. {@code n} choices each carry the same answer;
 * {@code logprobs}/{@code top_logprobs} add deterministic {@code logprobs.content[]}.
 * <p><b>Reasoning:</b> {@code reasoning_content} (message and stream delta) when the behaviour gives one, or when
 * {@code chat_template_kwargs} has {@code "thinking": true} or {@code "enable_thinking": true} (then
 * {@code "Thinking about: " + the first 40 characters}); never rendered by ELASTIC.
 * <p><b>Tool calls</b> ({@code finish_reason: "tool_calls"}, content {@code null}; streamed as a first fragment with
 * {@code index}, {@code id}, {@code type}, {@code function.name} and empty arguments, then argument fragments with
 * the same {@code index}): never when {@code tool_choice} is {@code "none"}; always for
 * {@link Behaviour#toolCall(String, String)}; otherwise, for a request with {@code tools} whose behaviour forces no
 * content, when {@code tool_choice} names a function (that one is called), is {@code "required"}, or the last user
 * message contains "weather" (case-insensitive) — then the first tool is called with sample arguments built from its
 * schema (each required property, or all: strings {@code "example"} or the first enum value, numbers 1, booleans
 * true).
 *
 * <h2>Validation (each dialect's 400 shape)</h2>
 * Non-JSON body, missing/empty {@code messages}, message without {@code role}, missing {@code model} (VULTR, NSCALE,
 * OPENAI). VULTR: temperature 0..2, top_p 0..1, top_k 0..100, max_tokens ≥ 1. NVIDIA (422 problem details):
 * temperature 0..1, top_p ≤ 1, max_tokens 1..65536, content parts only text/image_url/video_url and only in user or
 * tool messages. NSCALE: n 1..128, top_logprobs 0..20, penalties −2..2, {@code tool_choice: "required"} → 400.
 * OPENAI: temperature 0..2, n 1..128. ELASTIC: unknown field, missing or empty messages, non-array {@code stop},
 * a malformed {@code ?timeout=}.
 *
 * <h2>Scenarios, auth, order of checks</h2>
 * {@link #onModel(String, Behaviour...)} programs the behaviours of one model (for ELASTIC the body's
 * {@code model}, else the inference ID). Each chat request to that model consumes one step whatever its outcome;
 * the last step repeats. A request then: waits the simulator's latency, waits the behaviour's latency, gets 401 when
 * the dialect has a key and the request's {@code Authorization} is not {@code Bearer <key>} ({@code ApiKey <key>} for
 * ELASTIC), gets 400 when the body is not a JSON object, then gets the behaviour's fault, or is validated and
 * answered.
 *
 * <h2>Thread-safety and lifecycle</h2>
 * All methods are thread-safe and may be called while requests are in flight. {@link #close()} releases hanging and
 * sleeping requests (their connections are dropped) and stops the server; it is idempotent.
 * {@link #reset()} clears scenarios, latency, counters, the request log, votes and pending 202 results, and
 * restores the API keys given to the builder.
 */
public final class ProviderSimulator implements AutoCloseable {

    private static final int BACKLOG = 8192;
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final SimulatorConfig config;
    private final SimContext context;
    private final Metrics metrics = new Metrics();
    private final RequestLog log;
    private final VultrLedger vultrLedger = new VultrLedger();
    private final NvcfPending nvcfPending = new NvcfPending();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpServer server;

    private ProviderSimulator(SimulatorConfig config) {
        this.config = config;
        this.context = new SimContext(config, new Scenarios(), new Pacing(config.hangLimit()),
                new Credentials(config.apiKeys()), new Ids(), new ObjectMapper());
        this.log = new RequestLog(config.logCapacity());
        try {
            server = HttpServer.create(new InetSocketAddress(config.bindAddress(), config.port()), BACKLOG);
        } catch (IOException e) {
            executor.shutdownNow();
            throw new UncheckedIOException("cannot bind the provider simulator to " + config.bindAddress() + ":"
                    + config.port(), e);
        }
        ChatFlow flow = new ChatFlow(context);
        Map<Dialect, ChatDialect> dialects = new EnumMap<>(Dialect.class);
        dialects.put(Dialect.VULTR, new VultrDialect(context, flow, vultrLedger));
        dialects.put(Dialect.ELASTIC, new ElasticDialect(context, flow));
        dialects.put(Dialect.NVIDIA, new NvidiaDialect(context, flow, nvcfPending));
        dialects.put(Dialect.NSCALE, new NscaleDialect(context, flow));
        dialects.put(Dialect.OPENAI, new OpenAiDialect(context, flow));
        server.createContext("/", new Router(context, dialects, metrics, config.recording() ? log : null, index()));
        server.setExecutor(executor);
        server.start();
    }

    /** Starts a simulator with the defaults: 127.0.0.1, a free port, recording on. */
    public static ProviderSimulator start() {
        return builder().start();
    }

    /** A builder for a simulator with non-default settings. */
    public static Builder builder() {
        return new Builder();
    }

    /** {@code http://127.0.0.1:PORT} (no trailing slash). */
    public String baseUrl() {
        String host = config.bindAddress().equals("0.0.0.0") || config.bindAddress().equals("::")
                ? "127.0.0.1" : config.bindAddress();
        return "http://" + host + ":" + port();
    }

    /** The dialect's base URL, e.g. {@code http://127.0.0.1:PORT/vultr}; append the provider's own paths to it. */
    public String baseUrl(Dialect dialect) {
        return baseUrl() + "/" + dialect.pathSegment();
    }

    /** The port the server listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * Programs requests to {@code model}: the n-th request gets {@code sequence[n]}, every request after the last
     * gets the last one. Replaces the model's earlier scenario.
     *
     * @throws IllegalArgumentException if {@code sequence} is empty
     */
    public void onModel(String model, Behaviour... sequence) {
        context.scenarios().put(model, Arrays.asList(sequence));
    }

    /** Latency before every answer of every dialect without its own (default zero). */
    public void setLatency(Duration latency) {
        context.pacing().setGlobal(latency);
    }

    /** Latency before every answer of {@code dialect}, instead of the global one. */
    public void setLatency(Dialect dialect, Duration latency) {
        context.pacing().setFor(dialect, latency);
    }

    /** A uniformly random extra delay in {@code [0, maxJitter]} added to every latency (default zero). */
    public void setJitter(Duration maxJitter) {
        context.pacing().setJitter(maxJitter);
    }

    /** The key {@code dialect} requires from now on; {@code null} accepts any request. */
    public void setApiKey(Dialect dialect, String key) {
        context.credentials().set(dialect, key);
    }

    /** Clears scenarios, latency, counters, the log, votes and pending 202 results; restores the builder's keys. */
    public void reset() {
        context.scenarios().clear();
        context.pacing().reset();
        context.credentials().reset();
        metrics.reset();
        log.clear();
        vultrLedger.clear();
        nvcfPending.clear();
    }

    /** Every HTTP request received, on any path. */
    public long totalRequests() {
        return metrics.total();
    }

    /** Requests received under {@code dialect}'s prefix (NVIDIA status polls included). */
    public long totalRequests(Dialect dialect) {
        return metrics.total(Objects.requireNonNull(dialect, "dialect"));
    }

    /** Requests whose scenario key (see {@link RecordedRequest#model()}) is {@code model}. */
    public long totalRequestsForModel(String model) {
        return metrics.forModel(model);
    }

    /** Requests being handled right now (including hanging ones). */
    public int inFlight() {
        return metrics.inFlight();
    }

    /** The most requests in flight at once since start, {@link #resetPeak()} or {@link #reset()}. */
    public int peakConcurrency() {
        return metrics.peak();
    }

    /** Restarts peak tracking from the current in-flight count. */
    public void resetPeak() {
        metrics.resetPeak();
    }

    /** The recorded requests, oldest first (bounded; empty when recording is off). */
    public List<RecordedRequest> requests() {
        return log.all();
    }

    /** The recorded requests whose scenario key is {@code model}, oldest first. */
    public List<RecordedRequest> requestsForModel(String model) {
        return log.forModel(model);
    }

    /** The vote ({@code up}/{@code down}) Vultr's rating route recorded for {@code completionId}. */
    public Optional<String> voteFor(String completionId) {
        return vultrLedger.voteFor(completionId);
    }

    /** Releases hanging requests, stops the server and its threads. Idempotent. */
    @Override
    public void close() {
        if (context.pacing().closing()) {
            return;
        }
        context.pacing().close();
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private ObjectNode index() {
        ObjectNode index = context.json().createObjectNode();
        ObjectNode urls = index.putObject("dialects");
        for (Dialect dialect : Dialect.values()) {
            urls.put(dialect.name(), "/" + dialect.pathSegment());
        }
        return index;
    }

    /**
     * Runs a simulator until the process is killed: port from the first argument, else {@code SIMULATOR_PORT},
     * else 8089; bind address from {@code SIMULATOR_BIND_ADDRESS}, else {@code 0.0.0.0} (reachable from other
     * containers). Recording is off. Prints each dialect's base URL.
     */
    public static void main(String[] args) throws InterruptedException {
        String portSetting = args.length > 0 ? args[0] : System.getenv().getOrDefault("SIMULATOR_PORT", "8089");
        ProviderSimulator simulator = builder()
                .withPort(Integer.parseInt(portSetting.trim()))
                .withBindAddress(System.getenv().getOrDefault("SIMULATOR_BIND_ADDRESS", "0.0.0.0"))
                .withRecording(false)
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(simulator::close, "provider-simulator-shutdown"));
        System.out.println("Provider simulator listening on " + simulator.baseUrl());
        for (Dialect dialect : Dialect.values()) {
            System.out.println("  " + dialect + " " + simulator.baseUrl(dialect));
        }
        new CountDownLatch(1).await();
    }

    /** Settings of a simulator to start. Not thread-safe; each {@code with*} returns this builder. */
    public static final class Builder {
        private String bindAddress = "127.0.0.1";
        private int port;
        private boolean recording = true;
        private int logCapacity = 10_000;
        private final Map<Dialect, String> apiKeys = new EnumMap<>(Dialect.class);
        private String vultrRatingPath = "/v1/chat/completions/{id}/rate";
        private UnaryOperator<String> defaultReply = text -> "Echo: " + AnswerPlanner.head(text, 60);
        private Clock clock = Clock.systemUTC();
        private Duration hangLimit = Duration.ofMinutes(5);
        private boolean vultrExtendedParameters;

        private Builder() {
        }

        /** The port; default 0 = a free one. */
        public Builder withPort(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0..65535: " + port);
            }
            this.port = port;
            return this;
        }

        /** The address to listen on; default {@code 127.0.0.1}. */
        public Builder withBindAddress(String bindAddress) {
            this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
            return this;
        }

        /** Whether to keep the request log; default true (turn off for benchmarks). Counters always run. */
        public Builder withRecording(boolean recording) {
            this.recording = recording;
            return this;
        }

        /** How many recent requests the log keeps; default 10,000. */
        public Builder withLogCapacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("log capacity must be positive: " + capacity);
            }
            this.logCapacity = capacity;
            return this;
        }

        /** The key {@code dialect} requires; default none (any request accepted). */
        public Builder withApiKey(Dialect dialect, String key) {
            apiKeys.put(Objects.requireNonNull(dialect, "dialect"), Objects.requireNonNull(key, "key"));
            return this;
        }

        /** Vultr's rating route below {@code /vultr}, with one {@code {id}}; default {@code /v1/chat/completions/{id}/rate}. */
        public Builder withVultrRatingPath(String template) {
            PathTemplate.parse(Objects.requireNonNull(template, "template"));
            this.vultrRatingPath = template;
            return this;
        }

        /**
         * Whether VULTR also accepts the parameters its 1.2.0 reference lacks ({@code n}, {@code logprobs},
         * {@code top_logprobs}, {@code frequency_penalty}, {@code presence_penalty}, {@code stop},
         * {@code stream_options}: a later API revision, per the provider notes, unconfirmed); default false, a 400
         * naming the field.
         */
        public Builder withVultrExtendedParameters(boolean accepted) {
            this.vultrExtendedParameters = accepted;
            return this;
        }

        /** The default content as a function of the last user message; default {@code "Echo: " + first 60 chars}. */
        public Builder withDefaultReply(UnaryOperator<String> reply) {
            this.defaultReply = Objects.requireNonNull(reply, "reply");
            return this;
        }

        /** The clock for {@code created} and {@code receivedAt}; default the system UTC clock. */
        public Builder withClock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How long a {@link Behaviour#hang()} holds a request at most; default 5 minutes. */
        public Builder withHangLimit(Duration limit) {
            if (Objects.requireNonNull(limit, "limit").isNegative()) {
                throw new IllegalArgumentException("hang limit must not be negative: " + limit);
            }
            this.hangLimit = limit;
            return this;
        }

        /**
         * Starts the simulator.
         *
         * @throws UncheckedIOException when the address cannot be bound
         */
        public ProviderSimulator start() {
            return new ProviderSimulator(new SimulatorConfig(bindAddress, port, recording, logCapacity, apiKeys,
                    vultrRatingPath, defaultReply, clock, hangLimit, vultrExtendedParameters));
        }
    }
}
