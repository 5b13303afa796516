package io.inferenceworker.demo;

import io.inferenceworker.cli.ProducerExample;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import picocli.CommandLine;

/**
 * The demo's sample jobs, each run through the {@code producer-example} CLI exactly as a user would type it (the
 * connection options are added, not shown): one job per configured provider dialect, a streamed job, a tool call
 * from a request file, an invalid job, its dead letter, and a vote. Not thread-safe.
 */
final class SampleJobs {
    /** One CLI invocation and the exit code it should end with. */
    record Sample(String title, List<String> args, int expectedExit) {
    }

    private static final String TOOL_CALL_REQUEST = """
            {
              "job_id": "demo-tool-call",
              "provider": "%s",
              "messages": [{"role": "user", "content": "What is the weather in Paris right now?"}],
              "tools": [{
                "name": "get_weather",
                "description": "Current weather for a city",
                "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}
              }],
              "tool_choice": {"mode": "auto"}
            }
            """;

    private final List<String> connection;
    private final PrintStream out;

    SampleJobs(List<String> connection, PrintStream out) {
        this.connection = List.copyOf(connection);
        this.out = Objects.requireNonNull(out, "out");
    }

    /** The samples for the configured instances; writes the tool-call request file into {@code workDir}. */
    static List<Sample> plan(DemoSettings settings, Path workDir) {
        List<DemoProvider> instances = settings.instances();
        List<Sample> samples = new ArrayList<>();
        for (DemoProvider provider : instances) {
            samples.add(new Sample("The " + provider.title() + " dialect (instance '" + provider.id() + "')",
                    List.of("send", "--provider", provider.id(), "--job-id", "demo-" + provider.id(), "--wait",
                            "Say hello to the " + provider.title() + " dialect"), 0));
        }
        DemoProvider streaming = pick(instances, DemoProvider.NSCALE);
        samples.add(new Sample("A streamed job: chunks are printed as the worker publishes them",
                List.of("send", "--provider", streaming.id(), "--job-id", "demo-stream", "--stream", "--wait",
                        "Stream one sentence about event-driven inference on Kafka"), 0));
        DemoProvider tools = pick(instances, DemoProvider.OPENAI);
        Path request = workDir.resolve("tool-call-request.json");
        write(request, TOOL_CALL_REQUEST.formatted(tools.id()));
        samples.add(new Sample("A tool call, the request read from a JSON file (" + request.getFileName() + ")",
                List.of("send", "--file", relative(request).toString(), "--wait"), 0));
        DemoProvider first = instances.get(0);
        samples.add(new Sample("An invalid job: rejected before any provider call, exit code 1",
                List.of("send", "--provider", first.id(), "--job-id", "demo-invalid", "--temperature", "3.5",
                        "--wait", "Answer with a temperature the worker refuses"), 1));
        samples.add(new Sample("Its dead letter, with the reason in the __connect.errors.* headers",
                List.of("tail", "dlq", "--from-beginning", "--job-id", "demo-invalid", "--max", "1",
                        "--timeout", "30s"), 0));
        samples.add(new Sample("A vote on the first answer",
                List.of("vote", "demo-" + first.id(), "up", "--comment", "Exactly what I asked for", "--voter",
                        "demo"), 0));
        samples.add(new Sample("The vote joined with the job's result, and forwarded where the provider takes votes",
                List.of("tail", "votes", "--from-beginning", "--job-id", "demo-" + first.id(), "--max", "1",
                        "--timeout", "30s"), 0));
        return samples;
    }

    /** Runs the samples in order, printing each command and its output; returns how many ended as expected. */
    int run(List<Sample> samples) {
        int asExpected = 0;
        for (int i = 0; i < samples.size(); i++) {
            Sample sample = samples.get(i);
            out.printf("%n[%d/%d] %s%n$ producer-example %s%n", i + 1, samples.size(), sample.title(),
                    display(sample.args()));
            int exitCode = execute(sample.args());
            boolean expected = exitCode == sample.expectedExit();
            asExpected += expected ? 1 : 0;
            out.println("  -> exit code " + exitCode + (expected ? "" : " (expected " + sample.expectedExit() + ")"));
        }
        return asExpected;
    }

    private int execute(List<String> args) {
        List<String> all = new ArrayList<>(args);
        all.addAll(connection);
        PrintWriter writer = new PrintWriter(out, true, StandardCharsets.UTF_8);
        CommandLine cli = new CommandLine(new ProducerExample());
        cli.setOut(writer);
        cli.setErr(writer);
        int exitCode = cli.execute(all.toArray(String[]::new));
        writer.flush();
        return exitCode;
    }

    static String display(List<String> args) {
        return args.stream().map(arg -> arg.isEmpty() || arg.matches(".*[\\s\"'$*?;&|<>()].*")
                ? "\"" + arg.replace("\"", "\\\"") + "\"" : arg).collect(Collectors.joining(" "));
    }

    /** Relative to the working directory when below it: shorter to read, and the CLI resolves it the same. */
    static Path relative(Path path) {
        Path here = Path.of("").toAbsolutePath();
        return path.startsWith(here) ? here.relativize(path) : path;
    }

    private static DemoProvider pick(List<DemoProvider> instances, DemoProvider preferred) {
        return instances.contains(preferred) ? preferred : instances.get(0);
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
