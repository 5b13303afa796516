package io.inferenceworker.cli;

/**
 * A Kafka client or the serde cannot be created from the configuration (options, {@code --command-config} file,
 * pass-through properties): a bad value, an unusable JAAS configuration or trust store. Exit code
 * {@value ExitCodes#USAGE}; the message is redacted of secrets before it is printed.
 */
final class ClientConfigException extends RuntimeException {
    ClientConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
