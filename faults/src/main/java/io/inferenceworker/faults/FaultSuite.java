package io.inferenceworker.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The fault suite's command: starts the stack, runs the scenarios one after the other, prints the table and exits
 * non-zero when a scenario broke a criterion. {@link #runAll} is the same for tests.
 */
@Command(name = "faults", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs the worker as its own JVM against a broker process, the schema registry and the provider "
                + "simulator under faults (worker SIGKILL/SIGTERM loops in both intake modes, a broker restart, a "
                + "deleted output topic, an oversize record, a provider outage, a registry outage) and counts lost "
                + "and duplicate jobs per scenario. Exit code 1 when a scenario broke a criterion of issue 13.")
public final class FaultSuite implements Callable<Integer> {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    @Option(names = "--short", description = "the short form of ./mvnw verify: 300 jobs, 1 restart, its scenarios")
    boolean shortForm;

    @Option(names = "--scenarios", split = ",", paramLabel = "ID",
            description = "run only these, e.g. none-share,sigkill-loop-group (default: every scenario, or the "
                    + "short form's)")
    List<String> only;

    @Option(names = "--jobs", paramLabel = "N", description = "jobs per scenario (3000; short form 300)")
    Integer jobs;

    @Option(names = "--kills", paramLabel = "N", description = "restarts per restart loop (3; short form 1)")
    Integer kills;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "process logs and broker data (default: a new temporary folder)")
    Path workDir;

    @Option(names = "--report", paramLabel = "FILE", description = "also write the table to this Markdown file")
    Path report;

    public static void main(String[] args) {
        System.exit(new CommandLine(new FaultSuite()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        SuiteSettings settings = shortForm ? SuiteSettings.shortForm() : SuiteSettings.longForm();
        if (jobs != null) {
            settings = settings.withJobs(jobs);
        }
        if (kills != null) {
            settings = settings.withKills(kills);
        }
        List<Scenario> scenarios = only != null ? only.stream().map(Scenario::parse).toList()
                : shortForm ? Scenarios.SHORT_FORM : Scenarios.LONG_FORM;
        Path dir = workDir != null ? workDir : Files.createTempDirectory("iw-faults-");
        List<Row> rows = runAll(settings, scenarios, dir);
        String table = Table.render(rows);
        System.out.println();
        System.out.println(table);
        if (report != null) {
            Files.writeString(report, table + "\n");
        }
        return rows.stream().allMatch(Row::passed) ? 0 : 1;
    }

    /** Runs {@code scenarios} on a new stack below {@code workDir}; prints one progress line per scenario. */
    static List<Row> runAll(SuiteSettings settings, List<Scenario> scenarios, Path workDir)
            throws IOException, InterruptedException {
        Objects.requireNonNull(settings, "settings");
        log("fault suite: %d scenarios, %d jobs and %d poison records each; logs in %s", scenarios.size(),
                settings.jobs(), settings.poison(), workDir.resolve("logs"));
        List<Row> rows = new ArrayList<>();
        String suiteId = UUID.randomUUID().toString().substring(0, 6);
        try (FaultStack stack = FaultStack.start(workDir)) {
            log("broker at %s (process), registry at %s, simulator at %s", stack.broker().bootstrapServers(),
                    stack.registry().url(), stack.simulator().baseUrl());
            for (Scenario scenario : scenarios) {
                String run = "f" + suiteId + "-" + scenario.id();
                log("%s ...", scenario.id());
                Row row = new ScenarioRun(stack, settings, scenario, run).run();
                log("%s", Table.line(row));
                rows.add(row);
            }
        }
        return rows;
    }

    private static void log(String format, Object... args) {
        System.out.println(LocalTime.now().format(CLOCK) + " " + String.format(format, args));
    }
}
