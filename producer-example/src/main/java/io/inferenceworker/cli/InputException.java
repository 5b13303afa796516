package io.inferenceworker.cli;

/**
 * Input the user gave cannot be used: a request file that is not valid JSON or does not fit the Avro schema, a time
 * or duration that cannot be parsed. Reported as a usage error (exit code {@value ExitCodes#USAGE}).
 */
final class InputException extends RuntimeException {
    InputException(String message) {
        super(message);
    }

    InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
