package io.inferenceworker.cli;

import io.inferenceworker.serde.RegistryAccessException;
import io.inferenceworker.serde.RegistryUnavailableException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Base of every command: the shared {@link KafkaOptions}, output through picocli's writers (so callers can capture
 * it), the root command's clock, and failures turned into the documented exit codes ({@link ExitCodes}) with a
 * one-line message instead of a stack trace. Bad input ({@link InputException}) becomes picocli's usage error; a
 * configuration the clients refuse, a one-line usage error. Every message is cleared of the configuration's secrets
 * ({@link Secrets}) before it is printed.
 */
abstract class CliCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    /** The command itself; returns its exit code. */
    abstract int run() throws Exception;

    @Override
    public final Integer call() {
        try {
            kafka.applyCommandConfig(spec.commandLine().getParseResult()::hasMatchedOption);
            return run();
        } catch (InputException e) {
            throw new ParameterException(spec.commandLine(), kafka.secrets().redact(e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(ExitCodes.JOB_FAILED, "interrupted");
        } catch (Exception e) {
            Throwable failure = unwrap(e);
            return switch (failure) {
                case UnreachableException u -> fail(ExitCodes.UNREACHABLE, u.getMessage());
                case ClientConfigException c -> fail(ExitCodes.USAGE, describe(c) + commandConfigHint());
                case ConfigException c -> fail(ExitCodes.USAGE, "client configuration: " + describe(c)
                        + commandConfigHint());
                case RegistryUnavailableException r -> unreachable("schema registry " + kafka.schemaRegistryUrl, r);
                case RegistryAccessException r -> unreachable("schema registry " + kafka.schemaRegistryUrl, r);
                case TimeoutException t -> unreachable("Kafka at " + kafka.bootstrapServers, t);
                case AuthenticationException a -> unreachable("Kafka at " + kafka.bootstrapServers, a);
                case AuthorizationException a -> unreachable("Kafka at " + kafka.bootstrapServers, a);
                default -> fail(ExitCodes.JOB_FAILED, describe(failure));
            };
        }
    }

    KafkaClients clients() {
        return new KafkaClients(kafka);
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** The clock of the root {@link ProducerExample} (the system clock when a command runs on its own). */
    Clock clock() {
        return spec.root().userObject() instanceof ProducerExample root ? root.clock() : Clock.systemUTC();
    }

    private int fail(int exitCode, String message) {
        err().println("error: " + kafka.secrets().redact(message));
        err().flush();
        return exitCode;
    }

    private int unreachable(String endpoint, Throwable failure) {
        return fail(ExitCodes.UNREACHABLE, endpoint + ": " + describe(failure));
    }

    private String commandConfigHint() {
        return kafka.commandConfig == null ? "" : " (check --command-config " + kafka.commandConfig + ")";
    }

    private static Throwable unwrap(Throwable e) {
        Throwable failure = e;
        while ((failure instanceof ExecutionException || failure instanceof CompletionException)
                && failure.getCause() != null) {
            failure = failure.getCause();
        }
        return failure;
    }

    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause.getMessage() != null && !text.toString().contains(cause.getMessage())) {
                text.append(": ").append(cause.getMessage());
            }
        }
        return text.toString();
    }
}
