package io.inferenceworker.demo;

import ch.qos.logback.classic.Level;
import io.inferenceworker.testkit.DevStack;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * The one-command local demo: {@code ./mvnw -q -pl demo -am compile exec:java}. Starts the dev stack and a worker,
 * runs {@link SampleJobs} through the CLI, prints how to use the CLI against the running stack, then runs until
 * Ctrl-C (the shutdown hook stops the worker, then the stack). Settings: {@link DemoSettings}.
 */
public final class Demo {
    /** The worker's one-line-per-job log, turned on once the samples are done (it would interleave with them). */
    private static final String OUTCOME_LOGGER = "io.inferenceworker.outcomes";

    private Demo() {
    }

    public static void main(String[] args) throws InterruptedException {
        PrintStream out = System.out;
        DemoSettings settings = DemoSettings.fromEnvironment(System.getenv());
        Path workDir = Path.of(System.getProperty("demo.work-dir", System.getProperty("java.io.tmpdir")))
                .toAbsolutePath();
        out.println("inference-worker demo: Kafka, a schema registry, the provider simulator and a worker, "
                + "all in this JVM.");
        out.print("Starting Kafka, the schema registry and the provider simulator ... ");
        out.flush();
        DevStack stack = quietly(DevStack::start);
        ScratchDir votesState = ScratchDir.create("inference-worker-demo-votes");
        // A plain context with its HTTP server started here, not Micronaut.run: that registers a shutdown hook of
        // its own, which would race (and deadlock) with the demo's, which must stop the worker before the stack.
        ApplicationContext worker = ApplicationContext.builder()
                .properties(WorkerConfig.properties(stack, settings, votesState.path()))
                .deduceEnvironment(false)
                .banner(false)
                .build();
        try {
            stack.createDefaultTopics();
            out.println("done (Kafka in " + stack.kafka().startupTime().toMillis() + " ms).");
            out.print("Starting the worker ... ");
            out.flush();
            worker.start();
            worker.findBean(EmbeddedServer.class).ifPresent(EmbeddedServer::start);
        } catch (RuntimeException e) {
            out.println("failed.");
            out.println("The worker did not start: " + e.getMessage());
            if (String.valueOf(e.getMessage()).contains("provider")) {
                out.println("(DEMO_PROVIDERS=vultr,openai limits the demo to some provider instances.)");
            }
            if (worker.isRunning()) {
                worker.close();
            }
            stack.close();
            votesState.close();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("Stopping the worker and the stack ...");
            worker.close(); // the worker first: it finishes its jobs and commits while Kafka is still up
            stack.close();
            votesState.close();
            out.println("Stopped.");
            out.flush();
        }, "demo-shutdown"));
        out.println("done.");
        describe(out, stack, worker, settings);

        List<SampleJobs.Sample> samples = SampleJobs.plan(settings, workDir);
        int asExpected = new SampleJobs(connection(stack), out).run(samples);
        out.printf("%n%d of %d sample commands ended as expected.%n", asExpected, samples.size());

        instructions(out, stack, settings, CliLauncher.write(workDir, stack.kafka().bootstrapServers(),
                stack.registry().url()));
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(OUTCOME_LOGGER)).setLevel(Level.INFO);
        new CountDownLatch(1).await();
    }

    /**
     * Runs {@code start} with the JVM's standard output muted: the embedded broker prints its storage formatting
     * there (not through a logger), which would only interrupt the demo's own output. Called before any other
     * thread of the demo prints.
     */
    private static <T> T quietly(Supplier<T> start) {
        PrintStream original = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            return start.get();
        } finally {
            System.setOut(original);
        }
    }

    private static void describe(PrintStream out, DevStack stack, ApplicationContext worker, DemoSettings settings) {
        out.println("  Kafka bootstrap servers : " + stack.kafka().bootstrapServers());
        out.println("  Schema registry         : " + stack.registry().url());
        out.println("  Provider simulator      : " + stack.simulator().baseUrl());
        worker.findBean(EmbeddedServer.class).ifPresent(server -> out.println("  Worker health, metrics  : "
                + server.getURL() + "/health, " + server.getURL() + "/prometheus"));
        out.println("  Topics                  : " + String.join(", ",
                DevStack.defaultTopics().stream().map(topic -> topic.name()).toList()));
        out.println("  Provider instances (the 'provider' of a job):");
        for (DemoProvider provider : settings.instances()) {
            out.printf("    %-8s %-18s -> %s%n", provider.id(), provider.title(), settings.endpoint(provider));
        }
        out.printf("  Route %s (also a job's 'provider'): %s, each falling back to the next%n", WorkerConfig.ROUTE,
                String.join(" -> ", settings.instances().stream().map(DemoProvider::id).toList()));
        if (!settings.unusedKeys().isEmpty()) {
            // Real calls cost money and need the network: only on request, but say how.
            out.println("  " + String.join(", ", settings.unusedKeys()) + " set: DEMO_REAL_PROVIDERS=true "
                    + "./mvnw -q -pl demo -am compile exec:java calls the real services instead of the simulator.");
        }
    }

    private static List<String> connection(DevStack stack) {
        return List.of("--bootstrap-servers", stack.kafka().bootstrapServers(),
                "--schema-registry-url", stack.registry().url());
    }

    private static void instructions(PrintStream out, DevStack stack, DemoSettings settings, Optional<Path> script) {
        String first = settings.instances().get(0).id();
        String cli = script.map(path -> SampleJobs.relative(path).toString())
                .orElse("./mvnw -q -pl producer-example -am compile exec:java@cli -Dexec.args=\"...\" ");
        out.println();
        out.println("The demo keeps running until Ctrl-C. Try the CLI against it from another terminal:");
        out.println();
        out.println("  export KAFKA_BOOTSTRAP_SERVERS=" + stack.kafka().bootstrapServers());
        out.println("  export SCHEMA_REGISTRY_URL=" + stack.registry().url());
        out.println("  " + cli + " send --provider " + first + " --wait \"What is Apache Kafka?\"");
        out.println("  " + cli + " send --provider " + first + " --stream --wait \"Stream me a haiku\"");
        out.println("  " + cli + " send --provider " + WorkerConfig.ROUTE
                + " --wait \"Which hop answers?\"   (a route)");
        out.println("  " + cli + " load --count 500 --rate 100 --provider "
                + String.join(",", settings.instances().stream().map(DemoProvider::id).toList()));
        out.println("  " + cli + " tail results            (another terminal: follows every result)");
        out.println("  " + cli + " dlq                     (dead letters and why)");
        out.println("  " + cli + " dlq replay --job-id demo-invalid");
        out.println("  " + cli + " --help");
        script.ifPresent(path -> out.println("(" + SampleJobs.relative(path) + " runs the CLI with the demo's "
                + "classpath; the "
                + "same from Maven: ./mvnw -q -pl producer-example -am compile exec:java@cli -Dexec.args=\"send ...\")"));
        out.println();
        out.println("The worker logs one line per job from now on.");
        out.flush();
    }
}
