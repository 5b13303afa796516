package io.inferenceworker.deploy;

import static io.inferenceworker.deploy.Manifests.Node.at;
import static io.inferenceworker.deploy.Manifests.Node.byName;
import static io.inferenceworker.deploy.Manifests.Node.listAt;
import static io.inferenceworker.deploy.Manifests.Node.map;
import static io.inferenceworker.deploy.Manifests.Node.mapAt;
import static io.inferenceworker.deploy.Manifests.Node.stringAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/kubernetes renders and holds what running the worker needs, checked against the sources it must agree with
 * (Dockerfile, application.yml, the metric names of {@code io.inferenceworker.ops}). Rendering needs {@code kubectl}
 * (its built-in kustomize) on the PATH and is skipped without it; the base's source files are checked in any case.
 * Nothing here needs a cluster: these are structural checks, not the API server's schema validation.
 */
class KubernetesManifestsTest {
    private static final Path REPO = Path.of("..");
    private static final Path KUBERNETES = REPO.resolve("deploy/kubernetes");
    private static final Path BASE = KUBERNETES.resolve("base");
    private static final String WORKER = "inference-worker";
    private static final String CONTAINER = "worker";
    /** What the orchestrator must give beyond worker.shutdown-grace (README: the process exits within grace + 10 s). */
    private static final Duration GRACE_MARGIN = Duration.ofSeconds(15);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(:[^}]*)?}");
    private static final Pattern SECRET_NAME = Pattern.compile(".*(KEY|SECRET|PASSWORD|TOKEN|CREDENTIAL).*");

    @Test
    void theBaseSourcesHoldTheWorkload() {
        assertWorkload(Manifests.sources(BASE));
    }

    @Test
    void theBaseRendersWithKubectl() {
        Manifests rendered = Manifests.render(kubectl(), BASE);

        assertThat(rendered.kinds()).hasSize(5);
        assertWorkload(rendered);
        assertReferencesResolve(rendered, Set.of("inference-worker-provider-keys"));
        Map<String, Object> providers = mapAt(configFile(rendered), "providers");
        assertThat(providers).as("provider instances in worker.yml").isNotEmpty();
        assertThat(providers.values()).allSatisfy(p -> assertThat(stringAt(p, "api-key"))
                .as("an api-key placeholder, never a key").matches(PLACEHOLDER));
    }

    @Test
    void theExampleOverlaysRenderWithTheirSecretsAndShareMode(@TempDir Path tree) throws IOException {
        Path kubectl = kubectl();
        // The overlay generates Secrets from files kept out of git: render a copy with the .example files in place.
        copyTree(KUBERNETES, tree);
        Path example = tree.resolve("overlays/example");
        for (String env : List.of("provider-keys.env", "kafka-credentials.env")) {
            Files.copy(example.resolve(env + ".example"), example.resolve(env));
        }

        Manifests group = Manifests.render(kubectl, example);
        assertWorkload(group);
        assertReferencesResolve(group, Set.of());
        Map<String, Object> deployment = group.one("Deployment");
        assertThat(stringAt(container(deployment), "image")).isEqualTo("registry.example.com/inference-worker:0.1.0");
        assertThat(group.objects()).allSatisfy(o -> assertThat(at(o, "metadata", "namespace")).isEqualTo("inference"));
        Map<String, Object> trigger = map(listAt(group.one("ScaledObject"), "spec", "triggers").getFirst(), "trigger");
        String authentication = stringAt(trigger, "authenticationRef", "name");
        Map<String, Object> triggerAuthentication = group.named("TriggerAuthentication", authentication);
        for (Object ref : listAt(triggerAuthentication, "spec", "secretTargetRef")) {
            Map<String, Object> secret = group.named("Secret", stringAt(ref, "name"));
            assertThat(mapAt(secret, "data")).as("keys of %s", stringAt(ref, "name")).containsKey(stringAt(ref, "key"));
        }

        Manifests share = Manifests.render(kubectl, tree.resolve("overlays/share-mode-example"));
        assertThat(configMapData(share)).containsEntry("WORKER_INTAKE_MODE", "share");
        List<Object> triggers = listAt(share.one("ScaledObject"), "spec", "triggers");
        assertThat(triggers).singleElement().satisfies(t -> assertThat(at(t, "type")).isEqualTo("prometheus"));
        String query = stringAt(triggers.getFirst(), "metadata", "query");
        assertThat(Double.parseDouble(stringAt(triggers.getFirst(), "metadata", "threshold"))).isPositive();
        assertThat(query).contains("inference_jobs_in_flight");
        String meters = Manifests.read(REPO.resolve(
                "worker/src/main/java/io/inferenceworker/ops/package-info.java"));
        Matcher metric = Pattern.compile("inference_[a-z_]+").matcher(query);
        while (metric.find()) {
            assertThat(meters).as("the worker's metrics (ops/package-info.java)").contains(metric.group());
        }
    }

    /** What the issue asks of the workload, in any rendering of it (group mode). */
    private static void assertWorkload(Manifests manifests) {
        Map<String, Object> application = applicationYml();
        Map<String, Object> deployment = manifests.one("Deployment");
        Map<String, Object> pod = mapAt(deployment, "spec", "template", "spec");
        Map<String, Object> container = container(deployment);
        Map<String, Object> podLabels = mapAt(deployment, "spec", "template", "metadata", "labels");

        assertThat(at(deployment, "spec", "replicas")).as("replicas, owned by KEDA's HPA").isNull();
        assertThat(stringAt(container, "image")).contains(WORKER);
        assertThat(container).as("no command: the image's ENTRYPOINT runs").doesNotContainKey("command");
        assertThat(dockerEntrypoint()).as("the image's ENTRYPOINT: no heap flag, which would beat JAVA_TOOL_OPTIONS")
                .noneMatch(a -> a.startsWith("-XX:MaxRAMPercentage") || a.startsWith("-Xmx"));
        assertThat(envValue(container, "JAVA_TOOL_OPTIONS")).contains("-XX:MaxRAMPercentage=");

        int port = httpPort(application);
        Map<String, Object> http = byName(listAt(container, "ports"), "http");
        assertThat(at(http, "containerPort")).isEqualTo(port);
        assertThat(stringAt(container, "livenessProbe", "httpGet", "path")).isEqualTo("/health/liveness");
        assertThat(stringAt(container, "readinessProbe", "httpGet", "path")).isEqualTo("/health/readiness");
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            assertThat(stringAt(container, probe, "httpGet", "port")).as(probe).isEqualTo("http");
        }

        Duration grace = duration(stringAt(application, "worker", "shutdown-grace"));
        String configured = envValue(container, "WORKER_SHUTDOWN_GRACE");
        if (configured != null) {
            grace = duration(configured);
        }
        assertThat(Duration.ofSeconds(((Number) pod.get("terminationGracePeriodSeconds")).longValue()))
                .as("terminationGracePeriodSeconds").isGreaterThanOrEqualTo(grace.plus(GRACE_MARGIN));

        assertThat(at(pod, "securityContext", "runAsNonRoot")).isEqualTo(true);
        assertThat(at(pod, "securityContext", "runAsUser")).as("the image's USER").isEqualTo(dockerUser());
        assertThat(at(container, "securityContext", "readOnlyRootFilesystem")).isEqualTo(true);
        assertThat(at(container, "securityContext", "allowPrivilegeEscalation")).isEqualTo(false);
        Map<String, String> emptyDirMounts = emptyDirMounts(pod, container);
        assertThat(emptyDirMounts).as("writable emptyDir mounts").containsKey("/tmp");
        assertThat(emptyDirMounts.keySet()).as("a writable mount above the votes state dir")
                .anySatisfy(m -> assertThat(envValue(container, "VOTES_STATE_DIR")).startsWith(m + "/"));

        for (String kind : List.of("requests", "limits")) {
            assertThat(mapAt(container, "resources", kind)).as(kind).containsKeys("cpu", "memory");
        }

        List<Object> env = listAt(container, "env");
        assertThat(env).map(e -> stringAt(e, "name")).filteredOn(n -> SECRET_NAME.matcher(n).matches())
                .as("keys and secrets in the environment").isNotEmpty()
                .allSatisfy(n -> assertThat(at(byName(env, n), "valueFrom", "secretKeyRef", "key"))
                        .as("%s from a Secret", n).isNotNull());
        assertThat(env).allSatisfy(e -> assertThat(at(e, "value") == null || !SECRET_NAME.matcher(
                stringAt(e, "name")).matches()).as("no inline secret in %s", at(e, "name")).isTrue());
        String configFile = envValue(container, "MICRONAUT_CONFIG_FILES");
        assertThat(configMapMounts(pod, container).keySet()).as("ConfigMap mounts holding MICRONAUT_CONFIG_FILES")
                .anySatisfy(m -> assertThat(configFile).startsWith(m + "/"));

        Map<String, Object> service = manifests.one("Service");
        assertThat(mapAt(service, "metadata", "annotations")).containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/path", "/prometheus").containsEntry("prometheus.io/port", "" + port);
        assertThat(podLabels).containsAllEntriesOf(selector(mapAt(service, "spec", "selector")));
        Map<String, Object> pdb = manifests.one("PodDisruptionBudget");
        assertThat(pdb.get("apiVersion")).isEqualTo("policy/v1");
        assertThat(podLabels).containsAllEntriesOf(selector(mapAt(pdb, "spec", "selector", "matchLabels")));
        assertThat(podLabels).containsAllEntriesOf(
                selector(mapAt(deployment, "spec", "selector", "matchLabels")));

        assertScaledObject(manifests.one("ScaledObject"), deployment, container, application);
    }

    private static void assertScaledObject(Map<String, Object> scaledObject, Map<String, Object> deployment,
            Map<String, Object> container, Map<String, Object> application) {
        assertThat(scaledObject.get("apiVersion")).isEqualTo("keda.sh/v1alpha1");
        assertThat(at(scaledObject, "spec", "scaleTargetRef", "name")).isEqualTo(at(deployment, "metadata", "name"));
        int min = ((Number) at(scaledObject, "spec", "minReplicaCount")).intValue();
        int max = ((Number) at(scaledObject, "spec", "maxReplicaCount")).intValue();
        assertThat(min).as("minReplicaCount (the votes app runs in the workers)").isPositive();
        assertThat(max).isGreaterThanOrEqualTo(min);
        Map<String, Object> trigger = map(listAt(scaledObject, "spec", "triggers").getFirst(), "trigger");
        assertThat(trigger.get("type")).isEqualTo("kafka");
        Map<String, Object> metadata = mapAt(trigger, "metadata");
        for (String setting : List.of("bootstrapServers", "consumerGroup")) {
            Object fromEnv = metadata.get(setting + "FromEnv");
            assertThat(fromEnv != null || metadata.get(setting) != null).as(setting).isTrue();
            if (fromEnv != null) {
                assertThat(envNames(container)).as("%sFromEnv resolves in the worker container", setting)
                        .contains(fromEnv.toString());
            }
        }
        assertThat(metadata.get("topic")).isEqualTo(at(application, "topics", "requests"));
        assertThat(Long.parseLong(stringAt(metadata, "lagThreshold"))).isPositive();
        assertThat(metadata.get("allowIdleConsumers")).isEqualTo("false");
    }

    /** Every ConfigMap and Secret the Deployment names is rendered with the key it reads, except {@code external}. */
    private static void assertReferencesResolve(Manifests manifests, Set<String> external) {
        Map<String, Object> deployment = manifests.one("Deployment");
        Map<String, Object> container = container(deployment);
        for (Object e : listAt(container, "env")) {
            for (String[] ref : List.of(new String[] {"configMapKeyRef", "ConfigMap"},
                    new String[] {"secretKeyRef", "Secret"})) {
                Object key = at(e, "valueFrom", ref[0], "key");
                String name = (String) at(e, "valueFrom", ref[0], "name");
                if (key != null && !external.contains(name)) {
                    assertThat(mapAt(manifests.named(ref[1], name), "data")).as("%s %s", ref[1], name)
                            .containsKey(key.toString());
                }
            }
        }
        for (Object volume : listAt(deployment, "spec", "template", "spec", "volumes")) {
            Object configMap = at(volume, "configMap", "name");
            if (configMap != null) {
                manifests.named("ConfigMap", configMap.toString());
            }
        }
        // Every ${VAR} in the config file's values is in the container's environment (else a key stays empty).
        List<String> values = new ArrayList<>();
        collectStrings(configFile(manifests), values);
        for (String value : values) {
            Matcher placeholder = PLACEHOLDER.matcher(value);
            while (placeholder.find()) {
                assertThat(envNames(container)).as("worker.yml's ${%s}", placeholder.group(1))
                        .contains(placeholder.group(1));
            }
        }
    }

    private static void collectStrings(Object node, List<String> into) {
        if (node instanceof Map<?, ?> map) {
            map.values().forEach(v -> collectStrings(v, into));
        } else if (node instanceof List<?> list) {
            list.forEach(v -> collectStrings(v, into));
        } else if (node != null) {
            into.add(node.toString());
        }
    }

    private static Map<String, String> configMapData(Manifests manifests) {
        Map<String, String> data = new HashMap<>();
        mapAt(manifests.one("ConfigMap"), "data").forEach((k, v) -> data.put(k, v.toString()));
        return data;
    }

    private static Map<String, Object> configFile(Manifests manifests) {
        return map(Manifests.parse(configMapData(manifests).get("worker.yml")).objects().getFirst(), "worker.yml");
    }

    private static Map<String, Object> container(Map<String, Object> deployment) {
        return byName(listAt(deployment, "spec", "template", "spec", "containers"), CONTAINER);
    }

    private static String envValue(Map<String, Object> container, String name) {
        return listAt(container, "env").stream().filter(e -> name.equals(at(e, "name")))
                .map(e -> (String) at(e, "value")).findFirst().orElse(null);
    }

    private static Set<String> envNames(Map<String, Object> container) {
        Set<String> names = new HashSet<>();
        listAt(container, "env").forEach(e -> names.add(stringAt(e, "name")));
        return names;
    }

    private static Map<String, String> emptyDirMounts(Map<String, Object> pod, Map<String, Object> container) {
        return mounts(pod, container, "emptyDir");
    }

    private static Map<String, String> configMapMounts(Map<String, Object> pod, Map<String, Object> container) {
        return mounts(pod, container, "configMap");
    }

    /** Mount path to volume name, for the container's mounts of volumes of {@code type}. */
    private static Map<String, String> mounts(Map<String, Object> pod, Map<String, Object> container, String type) {
        List<Object> volumes = listAt(pod, "volumes");
        Map<String, String> mounts = new HashMap<>();
        for (Object mount : listAt(container, "volumeMounts")) {
            String volume = stringAt(mount, "name");
            if (byName(volumes, volume).containsKey(type)) {
                mounts.put(stringAt(mount, "mountPath"), volume);
            }
        }
        return mounts;
    }

    private static Map<String, Object> selector(Map<String, Object> labels) {
        assertThat(labels).isNotEmpty();
        return labels;
    }

    private static Map<String, Object> applicationYml() {
        return map(Manifests.parse(Manifests.read(REPO.resolve("worker/src/main/resources/application.yml")))
                .objects().getFirst(), "application.yml");
    }

    /** micronaut.server.port's default ({@code ${HTTP_PORT:8080}}). */
    private static int httpPort(Map<String, Object> application) {
        String port = stringAt(application, "micronaut", "server", "port");
        Matcher placeholder = PLACEHOLDER.matcher(port);
        return Integer.parseInt(placeholder.matches() ? placeholder.group(2).substring(1) : port);
    }

    /** Micronaut's short durations as application.yml writes them: 30s, 500ms, 2m. */
    private static Duration duration(String text) {
        Matcher m = Pattern.compile("(\\d+)(ms|s|m|h)").matcher(text.strip());
        assertThat(m.matches()).as("duration %s", text).isTrue();
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    /** The JSON-array ENTRYPOINT of the Dockerfile's worker stage. */
    private static List<String> dockerEntrypoint() {
        String dockerfile = Manifests.read(REPO.resolve("Dockerfile"));
        int stage = dockerfile.indexOf("AS worker");
        assertThat(stage).as("the Dockerfile's worker stage").isNotNegative();
        Matcher entrypoint = Pattern.compile("(?m)^ENTRYPOINT\\s+(\\[.*])\\s*$").matcher(dockerfile);
        assertThat(entrypoint.find(stage)).as("ENTRYPOINT of the worker stage").isTrue();
        try {
            return new ObjectMapper().readValue(entrypoint.group(1), new TypeReference<List<String>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The numeric USER of the Dockerfile's runtime images. */
    private static int dockerUser() {
        Matcher user = Pattern.compile("(?m)^USER\\s+(\\S+)\\s*$").matcher(Manifests.read(REPO.resolve("Dockerfile")));
        assertThat(user.find()).as("a USER in the Dockerfile (the image must not run as root)").isTrue();
        assertThat(user.group(1)).as("numeric USER, so runAsNonRoot can verify it").matches("\\d+");
        return Integer.parseInt(user.group(1));
    }

    private static Path kubectl() {
        Optional<Path> kubectl = Manifests.kubectl();
        assumeTrue(kubectl.isPresent(), "kubectl is not on the PATH: rendering deploy/kubernetes is not checked");
        return kubectl.get();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }
}
