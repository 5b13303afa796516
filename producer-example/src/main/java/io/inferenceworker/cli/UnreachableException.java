package io.inferenceworker.cli;

/**
 * Kafka or the schema registry could not be reached within the connect timeout; exit code
 * {@value ExitCodes#UNREACHABLE}. The message names the endpoint (never credentials).
 */
final class UnreachableException extends RuntimeException {
    UnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
