package io.inferenceworker.faults;

import io.inferenceworker.testkit.sim.Behaviour;
import io.inferenceworker.testkit.sim.Dialect;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;

/**
 * Runs one scenario end to end: its topics and group (named after the run), the workload produced, the worker
 * started, the fault injected, then waits — bounded by the settings' quiet, stall and timeout durations — until every
 * job and poison record ended and the outputs are quiet, stops the worker gracefully, and measures the row.
 * Not thread-safe.
 */
final class ScenarioRun {
    /** Large enough for the oversize job's request; the worker's own producer keeps its default max.request.size. */
    private static final String REQUEST_TOPIC_MAX_MESSAGE_BYTES = Integer.toString(4 * 1024 * 1024);

    private final FaultStack stack;
    private final SuiteSettings settings;
    private final Scenario scenario;
    private final String run;

    ScenarioRun(FaultStack stack, SuiteSettings settings, Scenario scenario, String run) {
        this.stack = Objects.requireNonNull(stack, "stack");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.scenario = Objects.requireNonNull(scenario, "scenario");
        this.run = Objects.requireNonNull(run, "run");
    }

    private String topic(String kind) {
        return run + "." + kind;
    }

    Row run() throws InterruptedException {
        long started = System.nanoTime();
        Injection injection = scenario.injection();
        Workload workload = Workload.plan(run, settings.jobs(), settings.poison(),
                injection == Injection.PROVIDER_DOWN, injection == Injection.OVERSIZE_RECORD);
        stack.simulator().reset();
        stack.simulator().setLatency(settings.providerLatency());
        stack.simulator().setJitter(settings.providerLatency());
        workload.program(stack.simulator(), Behaviour.status(503));
        createTopicsAndGroup();
        Map<String, Workload.TopicPartitionOffset> positions =
                workload.produce(stack.broker().bootstrapServers(), stack.registry().url(), topic("requests"));
        requireEachRequestOnce(positions.size());

        Workers workers = new Workers(stack.jvms(), run, workerProperties());
        List<String> notes = new ArrayList<>();
        try (OutputWatch watch = new OutputWatch(stack.broker().bootstrapServers(), topic("results"), topic("dlq"),
                settings.partitions())) {
            workers.start();
            InFlightAtKill inFlightAtKill = new InFlightAtKill(scenario.mode(), stack.broker(), group(),
                    topic("requests"), positions, watch);
            Injector injector = new Injector(settings, stack, workers, workload, watch, inFlightAtKill,
                    topic("usage"));
            notes.addAll(injector.inject(injection));
            awaitEnd(workload, watch, workers, started, notes);
            workers.stop();
            // the outputs of the final flush
            Waits.until(() -> watch.sinceLastArrival().compareTo(Duration.ofSeconds(2)) >= 0, Duration.ofSeconds(10));
            notes.addAll(workers.notes());
            return measure(workload, watch, workers, notes, started);
        } finally {
            workers.stop();
        }
    }

    private void awaitEnd(Workload workload, OutputWatch watch, Workers workers, long started, List<String> notes)
            throws InterruptedException {
        Duration left = settings.timeout().minusNanos(System.nanoTime() - started);
        boolean ended = Waits.until(() -> allEnded(workload, watch)
                        && watch.sinceLastArrival().compareTo(settings.quiet()) >= 0
                        || watch.sinceLastArrival().compareTo(settings.stall()) >= 0
                        || workers.crashed(),
                left.isNegative() ? Duration.ZERO : left);
        if (workers.crashed()) {
            notes.add("the worker died by itself");
        } else if (!allEnded(workload, watch)) {
            notes.add(ended ? "no output for " + settings.stall().toSeconds() + " s: gave up waiting"
                    : "timed out after " + settings.timeout().toSeconds() + " s");
        }
    }

    private static boolean allEnded(Workload workload, OutputWatch watch) {
        return workload.jobIds().stream().allMatch(watch::ended)
                && workload.poisonKeys().stream().allMatch(k -> watch.deadLetters(k) > 0);
    }

    private Row measure(Workload workload, OutputWatch watch, Workers workers, List<String> notes, long started) {
        int lost = 0;
        int duplicates = 0;
        long calls = 0;
        long extraCalls = 0;
        for (Workload.Job job : workload.jobs().values()) {
            if (!watch.ended(job.id())) {
                lost++;
            }
            duplicates += Math.max(0, watch.results(job.id()) - 1);
            long jobCalls = stack.simulator().totalRequestsForModel(job.id());
            calls += jobCalls;
            if (job.provider().equals(Workload.PROVIDER)) {
                extraCalls += Math.max(0, jobCalls - job.fault().callsWhenRunOnce());
            }
        }
        int poisonMin = workload.poisonKeys().stream().mapToInt(watch::deadLetters).min().orElse(0);
        int poisonMax = workload.poisonKeys().stream().mapToInt(watch::deadLetters).max().orElse(0);
        int jobs = workload.jobIds().size();
        int refused = scenario.mode() == IntakeMode.SHARE
                ? RefusedAcknowledgements.count(stack.jvms().logDir(), run + "-worker-") : 0;
        if (refused > 0) {
            notes.add("Kafka's share client refused the acknowledgement of " + refused + " records (partition moved "
                    + "in a reassignment; they are delivered again when their lock expires): " + duplicates
                    + " duplicate results");
        }
        List<String> violations = Criteria.violations(scenario, settings, lost, duplicates,
                workers.inFlightAtKills(), poisonMin, poisonMax, workload.poisonKeys().size(), refused);
        return new Row(scenario.injectionId(), scenario.mode(), jobs, lost, duplicates, (double) calls / jobs,
                extraCalls, workload.poisonKeys().size(), poisonMin, poisonMax, workers.inFlightAtKills(),
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), notes, violations);
    }

    private void createTopicsAndGroup() throws InterruptedException {
        List<NewTopic> topics = new ArrayList<>();
        topics.add(new NewTopic(topic("requests"), settings.partitions(), (short) 1)
                .configs(Map.of("max.message.bytes", REQUEST_TOPIC_MAX_MESSAGE_BYTES)));
        for (String kind : List.of("results", "usage", "chunks", "dlq")) {
            topics.add(new NewTopic(topic(kind), settings.partitions(), (short) 1));
        }
        try (Admin admin = stack.broker().newAdmin()) {
            admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
            awaitLeaders(admin, topics.stream().map(NewTopic::name).toList());
            if (scenario.mode() == IntakeMode.SHARE) {
                // A new share group starts at the latest offset; the workload is produced before the worker joins.
                ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, group());
                admin.incrementalAlterConfigs(Map.of(group, List.of(new AlterConfigOp(
                        new ConfigEntry("share.auto.offset.reset", "earliest"), AlterConfigOp.OpType.SET))))
                        .all().get(60, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not create the topics of " + run, e);
        }
    }

    /** The request topic holds each job and poison record exactly once (the feeder's producer is not idempotent). */
    private void requireEachRequestOnce(int expected) throws InterruptedException {
        try (Admin admin = stack.broker().newAdmin()) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < settings.partitions(); p++) {
                latest.put(new TopicPartition(topic("requests"), p), OffsetSpec.latest());
            }
            long records = admin.listOffsets(latest).all().get(60, TimeUnit.SECONDS).values().stream()
                    .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
            if (records != expected) {
                throw new IllegalStateException("the request topic holds " + records + " records, not " + expected);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not read the end offsets of " + topic("requests"), e);
        }
    }

    /** Topic creation returns before the broker leads every partition; producing earlier only logs retries. */
    private static void awaitLeaders(Admin admin, List<String> names) throws InterruptedException {
        Waits.until(() -> {
            try {
                return admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS).values().stream()
                        .flatMap(d -> d.partitions().stream())
                        .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
            } catch (ExecutionException | TimeoutException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }, Duration.ofSeconds(60));
    }

    private String group() {
        return run + ".group";
    }

    /** The worker's configuration: the run's topics and group, the simulator as provider instances {@code sim} and
     * {@code down}, fast retries, votes off (they have their own tests and topics). */
    private Map<String, Object> workerProperties() {
        Map<String, Object> p = new HashMap<>();
        p.put("kafka.bootstrap-servers", stack.broker().bootstrapServers());
        p.put("kafka.group-id", group());
        p.put("schema-registry.url", stack.registry().url());
        p.put("topics.requests", topic("requests"));
        p.put("topics.results", topic("results"));
        p.put("topics.usage", topic("usage"));
        p.put("topics.chunks", topic("chunks"));
        p.put("topics.dead-letters", topic("dlq"));
        p.put("votes.enabled", "false");
        p.put("worker.intake-mode", scenario.mode().setting());
        p.put("worker.in-flight-limit", settings.inFlightLimit());
        p.put("worker.shutdown-grace", SuiteSettings.SHUTDOWN_GRACE.toSeconds() + "s");
        p.put("worker.commit-interval", "500ms");
        if (scenario.mode() == IntakeMode.GROUP) {
            // A SIGKILLed member's partitions move after 10 s (the share consumer takes no such settings).
            p.put("kafka.consumer.session.timeout.ms", "10000");
            p.put("kafka.consumer.heartbeat.interval.ms", "1000");
        }
        if (scenario.injection() == Injection.OUTPUT_TOPIC_DELETED) {
            // A send to the missing topic fails after 5 s instead of the default 60 s: well within the outage, so
            // publishing fails rather than only waiting for the topic to come back.
            p.put("kafka.producer.max.block.ms", "5000");
        }
        for (String provider : List.of(Workload.PROVIDER, Workload.DOWN_PROVIDER)) {
            String prefix = "providers." + provider + ".";
            p.put(prefix + "type", "openai");
            p.put(prefix + "base-url", stack.simulator().baseUrl(Dialect.OPENAI));
            p.put(prefix + "retry.initial-backoff", "50ms");
            p.put(prefix + "retry.max-backoff", "1s");
            p.put(prefix + "retry.attempt-timeout", "10s");
        }
        return p;
    }
}
