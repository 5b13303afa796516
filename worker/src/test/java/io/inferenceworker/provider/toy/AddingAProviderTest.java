package io.inferenceworker.provider.toy;

import static io.inferenceworker.provider.ChatFixtures.call;
import static io.inferenceworker.provider.ChatFixtures.failure;
import static io.inferenceworker.provider.ChatFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inferenceworker.provider.ChatProvider;
import io.inferenceworker.provider.InvalidRequestException;
import io.inferenceworker.provider.ProviderConfigurationException;
import io.inferenceworker.provider.ProviderException;
import io.inferenceworker.provider.ProviderSettings;
import io.inferenceworker.provider.SimulatorWorld;
import io.inferenceworker.provider.registry.ProviderRegistry;
import io.inferenceworker.testkit.sim.Behaviour;
import io.inferenceworker.testkit.sim.Dialect;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Keeps the README's "Adding a provider" true: every line of Java it shows is in the toy dialect of this package, and
 * that dialect, built exactly so, works against the simulator and through the registry.
 */
class AddingAProviderTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Path README = Path.of("..", "README.md");
    private static final Path TOY = Path.of("src", "test", "java", "io", "inferenceworker", "provider", "toy");

    @RegisterExtension
    static final SimulatorWorld WORLD = SimulatorWorld.start();

    @Test
    void everyJavaLineTheReadmeShowsIsInTheToyDialect() throws IOException {
        List<String> shown = javaLinesOfTheSection();
        List<String> toy;
        try (Stream<Path> files = Files.list(TOY)) {
            toy = files.filter(f -> f.getFileName().toString().startsWith("Toy"))
                    .flatMap(f -> lines(f).stream()).map(String::strip).toList();
        }

        assertThat(shown).as("Java lines in the README section").hasSizeGreaterThan(15);
        assertThat(shown).allSatisfy(line -> assertThat(toy).as("the toy dialect's lines").contains(line));
    }

    @Test
    void theToyDialectAnswersAndItsStatusTableDecides() {
        ChatProvider toy = WORLD.create(ToyProviderFactory::new, WORLD.settings("toy", "toy", Dialect.OPENAI));

        assertThat(toy.complete(call(request(WORLD.model("ok", Behaviour.ok("hi")), "x").build(), TIMEOUT))
                .choices().getFirst().getContent()).isEqualTo("hi");
        ProviderException down = failure(toy, call(request(WORLD.model("down", Behaviour.status(503)), "x").build(),
                TIMEOUT));
        assertThat(down.isRetryable()).isTrue();
        assertThat(down.outage()).isTrue();
        ProviderException busy = failure(toy, call(request(WORLD.model("busy", Behaviour.status(529)), "x").build(),
                TIMEOUT));
        assertThat(busy.code()).isEqualTo("overloaded");
        assertThat(busy.isRetryable()).isTrue();
        assertThat(busy.outage()).isFalse();
        ProviderException broke = failure(toy, call(request(WORLD.model("broke", Behaviour.status(402)), "x")
                .build(), TIMEOUT));
        assertThat(broke.code()).isEqualTo("insufficient_credit");
        assertThat(broke.isRetryable()).isFalse();
    }

    @Test
    void theToyDialectRejectsWhatItsOptionsDoNotAllow() {
        ChatProvider plain = WORLD.create(ToyProviderFactory::new, WORLD.settings("toy-plain", "toy", Dialect.OPENAI));
        ProviderSettings withTopK = WORLD.settings("toy-k", "toy", Dialect.OPENAI);
        withTopK.setOptions(Map.of("top-k", "true"));
        ChatProvider topK = WORLD.create(ToyProviderFactory::new, withTopK);

        assertThatThrownBy(() -> plain.validate(request("m", "x").setTopK(5).build()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("top_k");
        topK.validate(request("m", "x").setTopK(5).build());
    }

    @Test
    void theRegistryBuildsTheToyTypeAndNamesTheInstanceOfABadOption() {
        ProviderSettings good = WORLD.settings("toy", "toy", Dialect.OPENAI);
        ProviderRegistry registry = new ProviderRegistry(List.of(good),
                List.of(new ToyProviderFactory(WORLD.transport())), Clock.systemUTC());
        assertThat(registry.find("toy")).isPresent();

        ProviderSettings bad = WORLD.settings("toy-bad", "toy", Dialect.OPENAI);
        bad.setOptions(Map.of("top-k", "maybe"));
        assertThatThrownBy(() -> new ProviderRegistry(List.of(bad), List.of(new ToyProviderFactory(WORLD.transport())),
                Clock.systemUTC()))
                .isInstanceOf(ProviderConfigurationException.class)
                .hasMessageContaining("toy-bad").hasMessageContaining("options.top-k");
    }

    /** The code lines of the ```java blocks of README's "Adding a provider", stripped. */
    private static List<String> javaLinesOfTheSection() throws IOException {
        String readme = Files.readString(README);
        int start = readme.indexOf("### Adding a provider");
        assertThat(start).as("README has a section 'Adding a provider'").isNotNegative();
        int end = readme.indexOf("\n## ", start);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        List<String> lines = new ArrayList<>();
        Matcher block = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(section);
        while (block.find()) {
            block.group(1).lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(lines::add);
        }
        return lines;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
