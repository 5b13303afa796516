package io.inferenceworker.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferenceworker.testkit.DevStack;
import io.micronaut.context.ApplicationContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's sample jobs, run as the demo runs them: the worker configured by {@link WorkerConfig} on the dev stack
 * with the default topics (this module's only test on the stack, so the fixed names are its own), every dialect on
 * the simulator.
 */
class SampleJobsTest {

    @Test
    void everySampleEndsAsExpected(@TempDir Path workDir) {
        DevStack stack = DevStack.shared();
        stack.createDefaultTopics();
        DemoSettings settings = DemoSettings.fromEnvironment(Map.of());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (ScratchDir votesState = ScratchDir.create("demo-test-votes");
             ApplicationContext worker = ApplicationContext.builder()
                     .properties(WorkerConfig.properties(stack, settings, votesState.path()))
                     .deduceEnvironment(false)
                     .start()) {
            List<SampleJobs.Sample> samples = SampleJobs.plan(settings, workDir);
            int asExpected = new SampleJobs(List.of("--bootstrap-servers", stack.kafka().bootstrapServers(),
                    "--schema-registry-url", stack.registry().url()), out).run(samples);

            String output = bytes.toString(StandardCharsets.UTF_8);
            assertThat(asExpected).as(output).isEqualTo(samples.size());
            assertThat(samples).hasSize(11);
            for (DemoProvider provider : DemoProvider.values()) {
                assertThat(output).contains("provider " + provider.id() + ", model ");
            }
            assertThat(output).contains("streaming: Echo: Stream one sentence",
                    "tool call: get_weather",
                    "status:    INVALID after 0 attempts",
                    "dead-letter  demo-invalid  stage=validate",
                    "vote  demo-vultr  UP  vultr/kimi-k2-instruct  job=SUCCEEDED");
        }
    }

    @Test
    void theScratchDirectoryIsDeletedWithItsContents() throws Exception {
        Path dir;
        try (ScratchDir scratch = ScratchDir.create("demo-test-scratch")) {
            dir = scratch.path();
            java.nio.file.Files.createDirectories(dir.resolve("a/b"));
            java.nio.file.Files.writeString(dir.resolve("a/b/c.txt"), "state");
        }
        assertThat(dir).doesNotExist();
    }
}
