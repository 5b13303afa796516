package io.inferenceworker.cli;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code producer-example}: the command-line client of the inference worker's topics. Run it as
 * {@code new CommandLine(new ProducerExample()).execute(args)}; {@link #main} does that and exits with the code.
 *
 * <p>The clock is the system clock unless one is given (tests). Not thread-safe: one instance per execution.
 */
@Command(name = "producer-example", mixinStandardHelpOptions = true, versionProvider = ProducerExample.Version.class,
        subcommands = {SendCommand.class, LoadCommand.class, VoteCommand.class, TailCommand.class, DlqCommand.class,
                SchemasCommand.class,
                HelpCommand.class},
        description = {"Sends completion jobs to the inference worker and reads what it answers, over Kafka (Avro in "
                + "the Confluent Schema Registry wire format).",
                "Configure it with the worker's environment variables (KAFKA_BOOTSTRAP_SERVERS, SCHEMA_REGISTRY_URL, "
                        + "TOPICS_*) or the options of each command; 'producer-example help COMMAND' shows them."},
        exitCodeListHeading = ExitCodes.HEADING, exitCodeList = {ExitCodes.OK_LINE, ExitCodes.FAILED_LINE,
        ExitCodes.USAGE_LINE, ExitCodes.TIMEOUT_LINE, ExitCodes.UNREACHABLE_LINE})
public final class ProducerExample implements Callable<Integer> {

    private final Clock clock;

    @Spec
    CommandSpec spec;

    public ProducerExample() {
        this(Clock.systemUTC());
    }

    public ProducerExample(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ProducerExample()).execute(args));
    }

    Clock clock() {
        return clock;
    }

    /** Without a command: the usage error that lists the commands. */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing command: send, load, vote, tail or dlq");
    }

    /** The version of the jar's manifest, when it has one. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = ProducerExample.class.getPackage().getImplementationVersion();
            return new String[] {"producer-example " + (version == null ? "(built from source)" : version)};
        }
    }
}
