package io.inferenceworker.testkit.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * nscale (vLLM behind it): {@code n}, {@code logprobs}/{@code top_logprobs}, {@code response_format},
 * {@code stop_reason}, {@code reasoning_content}; <b>201</b> on successful streams; {@code tool_choice}
 * {@code required} rejected with 400; errors in vLLM's nested or flat shape (per behaviour).
 */
final class NscaleDialect extends OpenAiStyleDialect {

    private static final int MAX_CHOICES = 128;
    private static final int MAX_TOP_LOGPROBS = 20;

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
