package io.inferenceworker.testkit.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * nscale (vLLM behind it): {@code n}, {@code logprobs}/{@code top_logprobs}, {@code response_format},
 * {@code stop_reason}, {@code reasoning_content}; <b>201</b> on successful streams; {@code tool_choice}
 * {@code required} rejected with 400; a body parameter its reference does not list ({@code top_k},
 * {@code chat_template_kwargs}, ...) is a 400; errors in vLLM's nested or flat shape (per behaviour). Answers carry
 * {@code stop_reason} (the stop string the content was cut at, else null) and {@code system_fingerprint}.
 */
final class NscaleDialect extends OpenAiStyleDialect {

    private static final int MAX_CHOICES = 128;
    private static final int MAX_TOP_LOGPROBS = 20;
    /** The body parameters nscale's reference lists; any other is refused. */
    static final Set<String> KNOWN_FIELDS = Set.of("model", "messages", "stream", "stream_options",
            "max_completion_tokens", "max_tokens", "n", "frequency_penalty", "logit_bias", "logprobs",
            "presence_penalty", "response_format", "stop", "temperature", "top_p", "top_logprobs", "tool_choice",
            "tools", "seed");

    NscaleDialect(SimContext context, ChatFlow flow) {
        super(context, flow, new OpenAiWire(true, true), List.of("meta-llama/Llama-3.1-8B-Instruct",
                "Qwen/Qwen3-235B-A22B", "deepseek-ai/DeepSeek-R1-Distill-Llama-70B"));
    }

    @Override
    public Dialect dialect() {
        return Dialect.NSCALE;
    }

    @Override
    int streamStatus() {
        return 201;
    }

    @Override
    JsonNode errorBody(ErrorSpec error, Behaviour behaviour) {
        return OpenAiErrors.vllm(error, behaviour.options().errorShape());
    }

    @Override
    public Optional<ErrorSpec> validate(SimExchange exchange, ChatRequest request) {
        JsonNode body = request.body();
        return super.validate(exchange, request)
                .or(() -> Validation.onlyFields(body, KNOWN_FIELDS, 400))
                .or(() -> Validation.range(body, "n", 1, MAX_CHOICES, 400))
                .or(() -> Validation.bool(body, "logprobs", 400))
                .or(() -> Validation.range(body, "top_logprobs", 0, MAX_TOP_LOGPROBS, 400))
                .or(() -> Validation.range(body, "temperature", 0, 2, 400))
                .or(() -> Validation.range(body, "top_p", 0, 1, 400))
                .or(() -> Validation.range(body, "frequency_penalty", -2, 2, 400))
                .or(() -> Validation.range(body, "presence_penalty", -2, 2, 400))
                .or(() -> toolChoice(request));
    }

    private static Optional<ErrorSpec> toolChoice(ChatRequest request) {
        if (request.toolChoiceIs("required")) {
            return Optional.of(ErrorSpec.invalid(400, "\"required\" tool_choice requires vllm>=0.8.3 and is not "
                    + "currently supported; only \"auto\" and \"none\" are supported.", "tool_choice"));
        }
        return Optional.empty();
    }
}
