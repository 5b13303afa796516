package io.inferenceworker.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A temporary directory that lives as long as one demo run, deleted with its contents on {@link #close()}. Used for
 * state that must not outlive the run's embedded Kafka (the votes component's Kafka Streams store). Thread-safe:
 * immutable; closing twice deletes nothing more.
 */
final class ScratchDir implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ScratchDir.class);

    private final Path path;

    private ScratchDir(Path path) {
        this.path = path;
    }

    /**
     * @throws UncheckedIOException if the directory cannot be created
     */
    static ScratchDir create(String prefix) {
        try {
            return new ScratchDir(Files.createTempDirectory(prefix));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for " + prefix, e);
        }
    }

    Path path() {
        return path;
    }

    /** Deletes the directory; what cannot be deleted is logged and left for the OS's temp cleaning. */
    @Override
    public void close() {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(path)) {
            tree.sorted(Comparator.reverseOrder()).forEach(ScratchDir::delete);
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("Could not delete {}: {}", path, e.getMessage());
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
