package io.inferenceworker.deploy;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** Kubernetes objects read from YAML: a kustomize build's output or the base's source files. */
record Manifests(List<Map<String, Object>> objects) {
    private static final long KUBECTL_TIMEOUT_SECONDS = 60;

    Manifests {
        objects = List.copyOf(objects);
    }

    /** Every document of {@code yaml}; fails on YAML that does not parse or on a document that is not a mapping. */
    static Manifests parse(String yaml) {
        List<Map<String, Object>> objects = new ArrayList<>();
        // A fresh loader per call: snakeyaml's Yaml is not thread-safe. Duplicate keys are errors, as in kubectl.
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        for (Object document : new Yaml(options).loadAll(yaml)) {
            if (document != null) {
                objects.add(Node.map(document, "document"));
            }
        }
        return new Manifests(objects);
    }

    /** The objects of the files listed under {@code resources:} in {@code dir}'s kustomization.yaml, as written. */
    static Manifests sources(Path dir) {
        Map<String, Object> kustomization = Node.map(
                parse(read(dir.resolve("kustomization.yaml"))).objects().getFirst(), "kustomization");
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object resource : Node.list(kustomization.get("resources"), "resources")) {
            objects.addAll(parse(read(dir.resolve(resource.toString()))).objects());
        }
        return new Manifests(objects);
    }

    /** {@code kubectl kustomize dir}: fails with kubectl's standard error when it does not render. */
    static Manifests render(Path kubectl, Path dir) {
        ProcessBuilder builder = new ProcessBuilder(kubectl.toString(), "kustomize", dir.toString());
        try {
            Process process = builder.start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(process.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(process.getErrorStream()));
            if (!process.waitFor(KUBECTL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("kubectl kustomize " + dir + " did not finish in " + KUBECTL_TIMEOUT_SECONDS
                        + " s");
            }
            assertThat(process.exitValue()).as("kubectl kustomize %s exit status; stderr: %s", dir, err.join())
                    .isZero();
            return parse(out.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** kubectl on the PATH, if any. */
    static Optional<Path> kubectl() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "kubectl");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The only object of {@code kind}. */
    Map<String, Object> one(String kind) {
        List<Map<String, Object>> found = all(kind);
        assertThat(found).as("objects of kind %s", kind).hasSize(1);
        return found.getFirst();
    }

    List<Map<String, Object>> all(String kind) {
        requireNonNull(kind, "kind");
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    /** The object of {@code kind} named {@code name}. */
    Map<String, Object> named(String kind, String name) {
        return all(kind).stream().filter(o -> name.equals(Node.at(o, "metadata", "name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " named " + name + " in " + kinds()));
    }

    List<String> kinds() {
        return objects.stream().map(o -> o.get("kind") + "/" + Node.at(o, "metadata", "name")).toList();
    }

    private static String drain(InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Navigation in parsed YAML that fails with the path when a node is missing or of another type. */
    static final class Node {
        private Node() {
        }

        /** The node at {@code path} (map keys), or null. */
        static Object at(Object node, String... path) {
            Object current = node;
            for (String key : path) {
                if (!(current instanceof Map<?, ?> map)) {
                    return null;
                }
                current = map.get(key);
            }
            return current;
        }

        static Map<String, Object> mapAt(Object node, String... path) {
            return map(at(node, path), String.join(".", path));
        }

        static List<Object> listAt(Object node, String... path) {
            return list(at(node, path), String.join(".", path));
        }

        static String stringAt(Object node, String... path) {
            Object value = at(node, path);
            assertThat(value).as(String.join(".", path)).isNotNull();
            return value.toString();
        }

        @SuppressWarnings("unchecked")
        static Map<String, Object> map(Object node, String what) {
            assertThat(node).as(what).isInstanceOf(Map.class);
            return (Map<String, Object>) node;
        }

        @SuppressWarnings("unchecked")
        static List<Object> list(Object node, String what) {
            assertThat(node).as(what).isInstanceOf(List.class);
            return (List<Object>) node;
        }

        /** The element of a list of maps whose {@code name} is {@code name}. */
        static Map<String, Object> byName(List<Object> items, String name) {
            return items.stream().map(i -> map(i, "list item")).filter(i -> name.equals(i.get("name"))).findFirst()
                    .orElseThrow(() -> new AssertionError("no item named " + name + " in " + items));
        }
    }
}
