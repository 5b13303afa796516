package io.inferenceworker.job;

import io.inferenceworker.provider.InvalidRequestException;
import io.inferenceworker.schemas.CompletionRequest;
import io.inferenceworker.schemas.ContentPart;
import io.inferenceworker.schemas.Message;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Checks every provider shares: a job ID matching the record key, at least one message, sane parameter ranges and a
 * prompt no larger than {@code worker.max-prompt-bytes}. Provider-specific limits are the adapters' own
 * {@code validate}. Messages name the parameter and never quote prompt text.
 */
final class RequestValidator {
    private final int maxPromptBytes;

    RequestValidator(int maxPromptBytes) {
        this.maxPromptBytes = maxPromptBytes;
    }

    void validate(CompletionRequest request, String recordKey) {
        if (request.getJobId() == null || request.getJobId().isBlank()) {
            throw new InvalidRequestException("job_id", "job_id is empty");
        }
        if (!request.getJobId().equals(recordKey)) {
            throw new InvalidRequestException("job_id", "job_id does not match the record key (the job ID)");
        }
        List<Message> messages = request.getMessages();
        if (messages == null || messages.isEmpty()) {
            throw new InvalidRequestException("messages", "messages is empty: at least one message is required");
        }
        requireAtLeast("max_tokens", request.getMaxTokens(), 1);
        requireAtLeast("n", request.getN(), 1);
        requireAtLeast("top_logprobs", request.getTopLogprobs(), 0);
        requireBetween("temperature", request.getTemperature(), 0, 2);
        requireBetween("top_p", request.getTopP(), 0, 1);
        requireBetween("frequency_penalty", request.getFrequencyPenalty(), -2, 2);
        requireBetween("presence_penalty", request.getPresencePenalty(), -2, 2);
        if (request.getTopLogprobs() != null && !Boolean.TRUE.equals(request.getLogprobs())) {
            throw new InvalidRequestException("top_logprobs", "top_logprobs requires logprobs=true");
        }
        long promptBytes = promptBytes(messages);
        if (promptBytes > maxPromptBytes) {
            throw new InvalidRequestException("messages", "prompt is " + promptBytes
                    + " bytes, more than the worker's limit of " + maxPromptBytes + " (worker.max-prompt-bytes)");
        }
    }

    /** UTF-8 size of all message text, the measure of the limit and of token estimates. */
    static long promptBytes(List<Message> messages) {
        long bytes = 0;
        for (Message m : messages) {
            Object content = m.getContent();
            if (content instanceof CharSequence text) {
                bytes += utf8Length(text);
            } else if (content instanceof List<?> parts) {
                for (Object part : parts) {
                    if (part instanceof ContentPart p && p.getText() != null) {
                        bytes += utf8Length(p.getText());
                    }
                }
            }
        }
        return bytes;
    }

    private static long utf8Length(CharSequence s) {
        return s.toString().getBytes(StandardCharsets.UTF_8).length;
    }

    private static void requireAtLeast(String name, Integer value, int min) {
        if (value != null && value < min) {
            throw new InvalidRequestException(name, name + " must be >= " + min + ", was " + value);
        }
    }

    private static void requireBetween(String name, Double value, double min, double max) {
        if (value != null && (value < min || value > max || value.isNaN())) {
            throw new InvalidRequestException(name, name + " must be between " + min + " and " + max
                    + ", was " + value);
        }
    }
}
