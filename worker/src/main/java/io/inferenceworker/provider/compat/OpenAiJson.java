package io.inferenceworker.provider.compat;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import java.util.Map;

/**
 * The OpenAI-compatible chat-completions wire format (OpenAI, vLLM, Ollama, LiteLLM, nscale, NVIDIA, Vultr, and
 * Elasticsearch's stream chunks), as Jackson records. Every record ignores unknown members (providers add their
 * own: {@code prompt_logprobs}, ...; vLLM's {@code stop_reason} and {@code system_fingerprint} are read) and leaves
 * null members out when written, so a request carries only what the job set.
 *
 * <p>Members whose shape varies between providers are {@link JsonNode}s: message {@code content} (a string or a
 * list of parts), {@code tool_choice}, {@code logprobs}, usage details, tool-call {@code arguments} (a string per
 * OpenAI, an object from some servers). Error bodies are read by {@link ProviderError}, which knows their
 * shapes. All records are immutable values.
 */
public final class OpenAiJson {
    private OpenAiJson() {
    }

    /**
     * A mapper for these records: unknown members ignored, nulls left out. Each caller owns its instance.
     *
     * <p>Its buffers are recycled through one shared, bounded pool rather than Jackson's default thread-local one:
     * every job runs on a virtual thread of its own, which would keep its own buffers (kilobytes of byte and char arrays) for as long as
     * the job waits for its provider — 160 MB with 10,000 jobs in flight.
     */
    public static ObjectMapper newMapper() {
        return new ObjectMapper(JsonFactory.builder().recyclerPool(JsonRecyclerPools.sharedBoundedPool()).build())
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    }

    /** {@code POST /v1/chat/completions} body. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ChatRequest(
            String model,
            List<RequestMessage> messages,
            @JsonProperty("max_tokens") Integer maxTokens,
            @JsonProperty("max_completion_tokens") Integer maxCompletionTokens,
            Double temperature,
            @JsonProperty("top_p") Double topP,
            @JsonProperty("top_k") Integer topK,
            Long seed,
            List<String> stop,
            Integer n,
            @JsonProperty("frequency_penalty") Double frequencyPenalty,
            @JsonProperty("presence_penalty") Double presencePenalty,
            Boolean logprobs,
            @JsonProperty("top_logprobs") Integer topLogprobs,
            @JsonProperty("logit_bias") Map<String, Integer> logitBias,
            @JsonProperty("response_format") JsonNode responseFormat,
            List<ToolDefinition> tools,
            @JsonProperty("tool_choice") JsonNode toolChoice,
            @JsonProperty("chat_template_kwargs") JsonNode chatTemplateKwargs,
            Boolean stream,
            @JsonProperty("stream_options") StreamOptions streamOptions) {

        /** This request, streamed, with the usage chunk requested ({@code stream_options.include_usage}). */
        public ChatRequest withStreaming() {
            return new ChatRequest(model, messages, maxTokens, maxCompletionTokens, temperature, topP, topK, seed,
                    stop, n, frequencyPenalty, presencePenalty, logprobs, topLogprobs, logitBias, responseFormat,
                    tools, toolChoice, chatTemplateKwargs, true, new StreamOptions(true));
        }

        /**
         * This request without {@code stream_options}, for a server whose reference does not list it (Vultr 1.2.0):
         * its stream then carries no usage chunk.
         */
        public ChatRequest withoutStreamOptions() {
            return new ChatRequest(model, messages, maxTokens, maxCompletionTokens, temperature, topP, topK, seed,
                    stop, n, frequencyPenalty, presencePenalty, logprobs, topLogprobs, logitBias, responseFormat,
                    tools, toolChoice, chatTemplateKwargs, stream, null);
        }

        /**
         * This request with {@code "content": ""} on every message that has none (an assistant turn that only made
         * tool calls), for a server whose reference requires {@code content} on every message (NVIDIA).
         */
        public ChatRequest withContentOnEveryMessage() {
            if (messages == null || messages.stream().allMatch(m -> m.content() != null)) {
                return this;
            }
            List<RequestMessage> filled = messages.stream().map(RequestMessage::withContentOrEmpty).toList();
            return new ChatRequest(model, filled, maxTokens, maxCompletionTokens, temperature, topP, topK, seed,
                    stop, n, frequencyPenalty, presencePenalty, logprobs, topLogprobs, logitBias, responseFormat,
                    tools, toolChoice, chatTemplateKwargs, stream, streamOptions);
        }

        /** This request naming {@code value} as its model, or no model when it is null (Elasticsearch). */
        public ChatRequest withModel(String value) {
            return new ChatRequest(value, messages, maxTokens, maxCompletionTokens, temperature, topP, topK, seed,
                    stop, n, frequencyPenalty, presencePenalty, logprobs, topLogprobs, logitBias, responseFormat,
                    tools, toolChoice, chatTemplateKwargs, stream, streamOptions);
        }

        /** This request with {@code max_tokens} sent as {@code max_completion_tokens} (Elasticsearch, newer OpenAI). */
        public ChatRequest withMaxTokensAsMaxCompletionTokens() {
            return new ChatRequest(model, messages, null, maxTokens != null ? maxTokens : maxCompletionTokens,
                    temperature, topP, topK, seed, stop, n, frequencyPenalty, presencePenalty, logprobs, topLogprobs,
                    logitBias, responseFormat, tools, toolChoice, chatTemplateKwargs, stream, streamOptions);
        }
    }

    /** One message sent: {@code content} is a string, a list of parts, or absent. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RequestMessage(
            String role,
            JsonNode content,
            String name,
            @JsonProperty("tool_call_id") String toolCallId,
            @JsonProperty("tool_calls") List<ToolCallJson> toolCalls,
            @JsonProperty("reasoning_content") String reasoningContent) {

        /** This message, with {@code ""} as its content when it has none. */
        public RequestMessage withContentOrEmpty() {
            return content != null ? this
                    : new RequestMessage(role, TextNode.valueOf(""), name, toolCallId, toolCalls, reasoningContent);
        }
    }

    /** {@code tools[i]}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ToolDefinition(String type, FunctionDefinition function) {
    }

    /** {@code tools[i].function}; {@code parameters} is a JSON Schema object. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record FunctionDefinition(String name, String description, JsonNode parameters, Boolean strict) {
    }

    /** A tool call in a message, or a fragment of one in a stream delta ({@code index} set). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ToolCallJson(Integer index, String id, String type, FunctionCall function) {
    }

    /** {@code function} of a tool call; {@code arguments} normally a JSON string holding JSON text. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record FunctionCall(String name, JsonNode arguments) {

        /** The arguments as text: a string verbatim, anything else as its JSON; null when absent. */
        public String argumentsText() {
            if (arguments == null || arguments.isNull() || arguments.isMissingNode()) {
                return null;
            }
            return arguments.isTextual() ? arguments.asText() : arguments.toString();
        }
    }

    /** {@code stream_options}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record StreamOptions(@JsonProperty("include_usage") Boolean includeUsage) {
    }

    /** A non-streamed answer. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ChatCompletion(String id, String object, Long created, String model, List<ReplyChoice> choices,
                                 UsageJson usage, @JsonProperty("system_fingerprint") String systemFingerprint) {
    }

    /** {@code choices[i]} of an answer. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ReplyChoice(Integer index, ReplyMessage message, @JsonProperty("finish_reason") String finishReason,
                              JsonNode logprobs, @JsonProperty("stop_reason") JsonNode stopReason) {
    }

    /**
     * {@code choices[i].message}. Reasoning arrives as {@code reasoning_content} (DeepSeek, vLLM, NVIDIA, nscale) or
     * {@code reasoning} (newer vLLM, Ollama).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ReplyMessage(String role, JsonNode content,
                               @JsonProperty("reasoning_content") String reasoningContent, String reasoning,
                               @JsonProperty("tool_calls") List<ToolCallJson> toolCalls) {
    }

    /** {@code usage}; the details are objects with {@code cached_tokens} / {@code reasoning_tokens}, or null. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record UsageJson(
            @JsonProperty("prompt_tokens") Integer promptTokens,
            @JsonProperty("completion_tokens") Integer completionTokens,
            @JsonProperty("total_tokens") Integer totalTokens,
            @JsonProperty("prompt_tokens_details") JsonNode promptTokensDetails,
            @JsonProperty("completion_tokens_details") JsonNode completionTokensDetails) {
    }

    /** One {@code data:} chunk of a stream; the usage chunk has empty {@code choices}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ChatChunk(String id, String object, Long created, String model, List<ChunkChoice> choices,
                            UsageJson usage, @JsonProperty("system_fingerprint") String systemFingerprint) {
    }

    /** {@code choices[i]} of a chunk. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ChunkChoice(Integer index, ChunkDelta delta, @JsonProperty("finish_reason") String finishReason,
                              JsonNode logprobs, @JsonProperty("stop_reason") JsonNode stopReason) {
    }

    /** {@code choices[i].delta} of a chunk. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ChunkDelta(String role, String content, @JsonProperty("reasoning_content") String reasoningContent,
                             String reasoning, @JsonProperty("tool_calls") List<ToolCallJson> toolCalls) {

        /** The reasoning increment, whichever member carried it. */
        public String reasoningText() {
            return reasoningContent != null ? reasoningContent : reasoning;
        }
    }
}
