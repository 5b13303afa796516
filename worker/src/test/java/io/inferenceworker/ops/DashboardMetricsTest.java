package io.inferenceworker.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inferenceworker.feedback.VotesService;
import io.inferenceworker.schemas.Vote;
import io.inferenceworker.testkit.sim.Behaviour;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The Grafana dashboard and the Prometheus alert rules in {@code deploy/grafana/} query only metrics a running worker
 * exports: a worker with its intake, a priced provider and the votes component runs a few jobs (one succeeded with a
 * tenant and a cost, one failed after a retry, one undecodable record, a vote), then every metric name in every
 * PromQL expression of the dashboard (panels and variables) and of the rules must be a sample name of its
 * {@code /prometheus} scrape.
 */
class DashboardMetricsTest {
    private static final Path GRAFANA = Path.of("..", "deploy", "grafana");
    private static final Path DASHBOARD = GRAFANA.resolve("inference-worker-dashboard.json");
    private static final Path RULES = GRAFANA.resolve("alerts.yaml");

    private static MetricsWorld world;
    private static EmbeddedServer server;
    private static String scrape;

    @BeforeAll
    static void runJobsOnAWorker() {
        world = new MetricsWorld("dash");
        String failing = world.prefix + "-failing";
        world.stack.simulator().onModel(failing, Behaviour.status(503));
        server = world.startServer();
        VotesService votes = server.getApplicationContext().getBean(VotesService.class);

        world.send(MetricsWorld.request("ok-1", "dash-model", "acme"));
        world.send(MetricsWorld.request("failed-1", failing, null));
        world.sendRaw(world.requests, MetricsWorld.key("garbage-1"), "not avro".getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(30)).until(() -> world.collector(world.results).size() >= 2
                && world.collector(world.dlq).size() >= 2);
        await().atMost(Duration.ofSeconds(30)).until(() -> votes.state() == KafkaStreams.State.RUNNING);
        world.vote("ok-1", Vote.UP);
        await().atMost(Duration.ofSeconds(30)).until(() -> !world.collector(world.votes).records().isEmpty());

        // Meters bound by a periodic refresh (a partition's lag, the Streams tasks' metrics) appear within 200 ms.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            scrape = OpsHttp.get(server, "/prometheus").body();
            assertThat(sampleNames(scrape)).contains("kafka_consumer_fetch_manager_records_lag",
                    "inference_job_duration_seconds_bucket", "gen_ai_client_token_usage_bucket",
                    "inference_tenant_cost_total");
            assertThat(scrape).contains("kafka_stream_");
        });
    }

    @AfterAll
    static void stop() {
        if (world != null) {
            world.close();
        }
    }

    @Test
    void everyMetricTheDashboardQueriesIsExported() throws IOException {
        Map<String, Set<String>> referenced = dashboardNames(new ObjectMapper().readTree(DASHBOARD.toFile()));

        assertAllExported(referenced);
    }

    @Test
    void everyMetricTheAlertRulesQueryIsExported() throws IOException {
        Map<String, Set<String>> referenced = ruleNames(Files.readString(RULES));

        assertAllExported(referenced);
    }

    private static void assertAllExported(Map<String, Set<String>> referenced) {
        // A parse that finds nothing would pass vacuously.
        assertThat(referenced).isNotEmpty();
        assertThat(referenced.values()).allSatisfy(names -> assertThat(names).isNotEmpty());
        Set<String> exported = sampleNames(scrape);
        Map<String, Set<String>> missing = new TreeMap<>();
        referenced.forEach((where, names) -> names.stream().filter(n -> !exported.contains(n))
                .forEach(n -> missing.computeIfAbsent(where, w -> new TreeSet<>()).add(n)));
        assertThat(missing).as("metrics queried but not exported by a running worker").isEmpty();
    }

    /** Names by panel title (or variable), from every {@code expr} in the panels and every variable query. */
    static Map<String, Set<String>> dashboardNames(JsonNode dashboard) {
        Map<String, Set<String>> names = new LinkedHashMap<>();
        List<JsonNode> panels = new ArrayList<>();
        dashboard.path("panels").forEach(panels::add);
        for (int i = 0; i < panels.size(); i++) {
            JsonNode panel = panels.get(i);
            panel.path("panels").forEach(panels::add); // collapsed rows hold their panels
            for (JsonNode target : panel.path("targets")) {
                if (target.hasNonNull("expr")) {
                    names.computeIfAbsent("panel " + panel.path("title").asText(), t -> new TreeSet<>())
                            .addAll(PromQlNames.of(target.get("expr").asText()));
                }
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if ("query".equals(variable.path("type").asText())) {
                JsonNode query = variable.path("query");
                String text = query.isTextual() ? query.asText() : query.path("query").asText();
                names.put("variable " + variable.path("name").asText(), PromQlNames.ofVariableQuery(text));
            }
        }
        return names;
    }

    /** Names by alert, from every rule's {@code expr}. */
    @SuppressWarnings("unchecked")
    static Map<String, Set<String>> ruleNames(String yaml) {
        Map<String, Object> rules = new Yaml().load(yaml);
        Map<String, Set<String>> names = new LinkedHashMap<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) rules.get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                String name = String.valueOf(rule.getOrDefault("alert", rule.get("record")));
                names.put("rule " + name, PromQlNames.of(String.valueOf(rule.get("expr"))));
            }
        }
        return names;
    }

    /** The sample names of a Prometheus text exposition: a histogram shows x_bucket, x_count and x_sum. */
    static Set<String> sampleNames(String exposition) {
        return exposition.lines()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> line.split("[{ ]", 2)[0])
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
