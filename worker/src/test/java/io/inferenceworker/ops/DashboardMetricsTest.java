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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * {@code /prometheus} scrape, and every label a selector matches on must be one of that metric's labels.
 */
class DashboardMetricsTest {
    private static final Path GRAFANA = Path.of("..", "deploy", "grafana");
    private static final Path DASHBOARD = GRAFANA.resolve("inference-worker-dashboard.json");
    private static final Path RULES = GRAFANA.resolve("alerts.yaml");
    /** Labels Prometheus adds to every scraped series, not the worker. */
    private static final Set<String> TARGET_LABELS = Set.of("job", "instance");
    private static final Pattern SAMPLE_LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"(?:[^\"\\\\]|\\\\.)*\"");

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
            assertThat(sampleLabels(scrape)).containsKeys("kafka_consumer_fetch_manager_records_lag",
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
        assertAllExported(names(dashboardQueries(new ObjectMapper().readTree(DASHBOARD.toFile()))));
    }

    @Test
    void everyMetricTheAlertRulesQueryIsExported() throws IOException {
        assertAllExported(names(ruleQueries(Files.readString(RULES))));
    }

    @Test
    void everyLabelTheDashboardAndRulesMatchOnIsExportedWithItsMetric() throws IOException {
        List<Query> queries = new ArrayList<>(dashboardQueries(new ObjectMapper().readTree(DASHBOARD.toFile())));
        queries.addAll(ruleQueries(Files.readString(RULES)));
        Map<String, Set<String>> exported = sampleLabels(scrape);
        Map<String, Set<String>> missing = new TreeMap<>();
        for (Query query : queries) {
            Map<String, Set<String>> needed = query.variable()
                    ? PromQlNames.variableLabels(query.expr()) : PromQlNames.matcherLabels(query.expr());
            needed.forEach((metric, labels) -> labels.stream()
                    .filter(l -> !TARGET_LABELS.contains(l))
                    .filter(l -> !exported.getOrDefault(metric, Set.of()).contains(l))
                    .forEach(l -> missing.computeIfAbsent(query.where(), w -> new TreeSet<>()).add(metric + "{" + l
                            + "}")));
        }
        assertThat(queries.stream().anyMatch(q -> !PromQlNames.matcherLabels(q.expr()).isEmpty())).isTrue();
        assertThat(missing).as("labels matched on that the metric does not have").isEmpty();
    }

    /** One PromQL expression, or a Grafana variable query, and where it is. */
    record Query(String where, String expr, boolean variable) {
    }

    private static void assertAllExported(Map<String, Set<String>> referenced) {
        // A parse that finds nothing would pass vacuously.
        assertThat(referenced).isNotEmpty();
        assertThat(referenced.values()).allSatisfy(names -> assertThat(names).isNotEmpty());
        Set<String> exported = sampleLabels(scrape).keySet();
        Map<String, Set<String>> missing = new TreeMap<>();
        referenced.forEach((where, names) -> names.stream().filter(n -> !exported.contains(n))
                .forEach(n -> missing.computeIfAbsent(where, w -> new TreeSet<>()).add(n)));
        assertThat(missing).as("metrics queried but not exported by a running worker").isEmpty();
    }

    /** Metric names by where they are queried. */
    private static Map<String, Set<String>> names(List<Query> queries) {
        Map<String, Set<String>> names = new LinkedHashMap<>();
        for (Query q : queries) {
            names.computeIfAbsent(q.where(), w -> new TreeSet<>())
                    .addAll(q.variable() ? PromQlNames.ofVariableQuery(q.expr()) : PromQlNames.of(q.expr()));
        }
        return names;
    }

    /** Every {@code expr} of the panels (rows included) by panel title, and every query variable. */
    static List<Query> dashboardQueries(JsonNode dashboard) {
        List<Query> queries = new ArrayList<>();
        List<JsonNode> panels = new ArrayList<>();
        dashboard.path("panels").forEach(panels::add);
        for (int i = 0; i < panels.size(); i++) {
            JsonNode panel = panels.get(i);
            panel.path("panels").forEach(panels::add); // collapsed rows hold their panels
            for (JsonNode target : panel.path("targets")) {
                if (target.hasNonNull("expr")) {
                    queries.add(new Query("panel " + panel.path("title").asText(), target.get("expr").asText(),
                            false));
                }
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if ("query".equals(variable.path("type").asText())) {
                JsonNode query = variable.path("query");
                String text = query.isTextual() ? query.asText() : query.path("query").asText();
                queries.add(new Query("variable " + variable.path("name").asText(), text, true));
            }
        }
        return queries;
    }

    /** Every rule's {@code expr}, by alert (or recording rule) name. */
    @SuppressWarnings("unchecked")
    static List<Query> ruleQueries(String yaml) {
        Map<String, Object> rules = new Yaml().load(yaml);
        List<Query> queries = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) rules.get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                String name = String.valueOf(rule.getOrDefault("alert", rule.get("record")));
                queries.add(new Query("rule " + name, String.valueOf(rule.get("expr")), false));
            }
        }
        return queries;
    }

    /**
     * The label names of each sample name of a Prometheus text exposition (a histogram shows x_bucket, x_count and
     * x_sum, never x).
     */
    static Map<String, Set<String>> sampleLabels(String exposition) {
        Map<String, Set<String>> labels = new TreeMap<>();
        exposition.lines().filter(line -> !line.isBlank() && !line.startsWith("#")).forEach(line -> {
            Set<String> names = labels.computeIfAbsent(line.split("[{ ]", 2)[0], n -> new TreeSet<>());
            int brace = line.indexOf('{');
            if (brace >= 0) {
                Matcher label = SAMPLE_LABEL.matcher(line.substring(brace));
                while (label.find()) {
                    names.add(label.group(1));
                }
            }
        });
        return labels;
    }
}
