package io.inferenceworker.provider;

import java.util.Objects;

/**
 * A request that cannot be sent as asked: an unknown provider, a parameter the provider does not support, a value out
 * of its range, an oversize prompt. Becomes an INVALID result and a dead letter; never retried.
 */
public final class InvalidRequestException extends RuntimeException {
    private final String parameter;

    /**
     * @param parameter the offending request field (for example {@code tool_choice}), or null when the request as a
     *                  whole is at fault
     * @param message   what is wrong, naming the parameter and the provider; no prompt text
     */
    public InvalidRequestException(String parameter, String message) {
        super(Objects.requireNonNull(message, "message"));
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}
