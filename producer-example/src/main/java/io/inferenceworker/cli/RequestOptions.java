package io.inferenceworker.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inferenceworker.schemas.CompletionRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What {@code send} puts in a {@link CompletionRequest}: flags, or a JSON file with the Avro schema's field names
 * ({@code --file}) that flags given explicitly override. The flags are turned into the same JSON and read by
 * {@link JsonToAvro}, so both paths get the same checks. Populated by picocli.
 */
final class RequestOptions {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--job-id", paramLabel = "ID", description = "Job ID and record key. Default: a random UUID.")
    String jobId;

    @Option(names = {"-p", "--provider"}, paramLabel = "NAME",
            description = "Provider instance configured in the worker (e.g. vultr). Required without --file.")
    String provider;

    @Option(names = {"-m", "--model"}, paramLabel = "MODEL",
            description = "Model; default: the instance's default-model.")
    String model;

    @Option(names = {"-s", "--system"}, paramLabel = "TEXT", description = "A system message before the prompt.")
    String system;

    @Parameters(index = "0", arity = "0..1", paramLabel = "PROMPT",
            description = "The user message; '-' reads it from standard input. Required without --file.")
    String prompt;

    @Option(names = {"-f", "--file"}, paramLabel = "REQUEST.json",
            description = "The request as JSON with the CompletionRequest schema's field names (job_id, provider, "
                    + "model, messages, max_tokens, tools, ...); other flags override its fields.")
    Path file;

    @Option(names = "--max-tokens", paramLabel = "N", description = "Maximum tokens to generate per choice.")
    Integer maxTokens;

    @Option(names = "--temperature", paramLabel = "T", description = "Sampling temperature (0..2).")
    Double temperature;

    @Option(names = "--top-p", paramLabel = "P", description = "Nucleus sampling mass (0..1).")
    Double topP;

    @Option(names = "--top-k", paramLabel = "K", description = "Sample from the K most likely tokens (some providers).")
    Integer topK;

    @Option(names = "--seed", paramLabel = "SEED", description = "Seed for best-effort deterministic sampling.")
    Long seed;

    @Option(names = "--stop", paramLabel = "TEXT", description = "A stop sequence. Repeatable.")
    List<String> stop;

    @Option(names = {"-n", "--n"}, paramLabel = "N", description = "Number of choices.")
    Integer choices;

    @Option(names = "--stream", negatable = true,
            description = "Stream: the worker publishes chunks while generating (shown with --wait).")
    Boolean stream;

    @Option(names = "--deadline", paramLabel = "TIME",
            description = "Do not start the job after this: a duration from now (30s, 5m) or an ISO-8601 time.")
    String deadline;

    @Option(names = "--tenant", paramLabel = "TENANT", description = "Tenant the job is accounted to.")
    String tenant;

    @Option(names = "--metadata", paramLabel = "KEY=VALUE",
            description = "Metadata echoed on every output of the job. Repeatable.")
    Map<String, String> metadata = new LinkedHashMap<>();

    /**
     * Builds the request.
     *
     * @throws InputException if the file cannot be read or parsed, required values are missing, or a value does
     *                        not fit the schema
     */
    CompletionRequest build(Clock clock, InputStream stdin) {
        ObjectNode json = file == null ? JSON.createObjectNode() : readFile();
        if (file == null) {
            if (provider == null) {
                throw new InputException("--provider is required (or give the whole request with --file)");
            }
            if (prompt == null) {
                throw new InputException("a PROMPT is required (or give the whole request with --file)");
            }
            json.set("messages", messages(stdin));
        } else if (prompt != null || system != null) {
            throw new InputException("PROMPT and --system cannot be combined with --file: put the messages in the file");
        }
        putIfGiven(json, "job_id", jobId);
        if (!json.hasNonNull("job_id")) {
            json.put("job_id", UUID.randomUUID().toString());
        }
        putIfGiven(json, "provider", provider);
        putIfGiven(json, "model", model);
        putIfGiven(json, "max_tokens", maxTokens);
        putIfGiven(json, "temperature", temperature);
        putIfGiven(json, "top_p", topP);
        putIfGiven(json, "top_k", topK);
        putIfGiven(json, "seed", seed);
        putIfGiven(json, "n", choices);
        putIfGiven(json, "stream", stream);
        putIfGiven(json, "deadline", deadline);
        putIfGiven(json, "tenant", tenant);
        if (stop != null && !stop.isEmpty()) {
            json.set("stop", JSON.valueToTree(stop));
        }
        if (!metadata.isEmpty()) {
            ObjectNode merged = json.get("metadata") instanceof ObjectNode existing ? existing : json.putObject("metadata");
            metadata.forEach(merged::put);
        }
        try {
            return JsonToAvro.read(json, CompletionRequest.class, clock);
        } catch (InputException e) {
            throw new InputException((file == null ? "request" : file.toString()) + ": " + e.getMessage(), e);
        }
    }

    private ArrayNode messages(InputStream stdin) {
        ArrayNode messages = JSON.createArrayNode();
        if (system != null) {
            messages.addObject().put("role", "system").put("content", system);
        }
        messages.addObject().put("role", "user").put("content", "-".equals(prompt) ? readAll(stdin) : prompt);
        return messages;
    }

    private ObjectNode readFile() {
        try {
            JsonNode node = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
            if (node instanceof ObjectNode object) {
                return object;
            }
            throw new InputException(file + ": expected a JSON object (a CompletionRequest)");
        } catch (JsonProcessingException e) {
            throw new InputException(file + ": not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")"), e);
        } catch (IOException e) {
            throw new InputException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String readAll(InputStream stdin) {
        try {
            return new String(stdin.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new InputException("cannot read the prompt from standard input: " + e.getMessage(), e);
        }
    }

    private static void putIfGiven(ObjectNode json, String field, Object value) {
        if (value != null) {
            json.set(field, JSON.valueToTree(value));
        }
    }
}
