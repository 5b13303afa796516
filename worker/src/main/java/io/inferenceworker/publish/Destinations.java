package io.inferenceworker.publish;

import io.inferenceworker.config.TenantNames;
import io.inferenceworker.config.TopicSettings;
import io.inferenceworker.schemas.CompletionRequest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The one place that decides where a job's outputs go, so that a team's consumers read only their own completions.
 *
 * <p>For each output (result, usage, chunks), first match wins:
 * <ol>
 *   <li>the topic the request names ({@code results_topic}, {@code usage_topic}, {@code chunks_topic}), only when its
 *       whole name matches {@code topics.reply-topic-pattern}, is a legal Kafka topic name, is none of the
 *       worker's own input, vote or dead-letter topics (a result written there would come back as a request or pose
 *       as a vote or a dead letter), and is not a configured output topic of another kind (a result on a usage topic
 *       would mix record types in one topic and subject);</li>
 *   <li>the topic of the request's {@code tenant} under {@code tenants.<name>.topics.*} (matched as Micronaut
 *       binds the name: hyphenated and lower-case, so {@code TeamA}, {@code team_a} and {@code team-a} are one
 *       tenant here);</li>
 *   <li>{@code topics.*}.</li>
 * </ol>
 * A request naming a topic that is not allowed is {@link Decision.Refused refused} as a whole: its job ends INVALID
 * without calling a provider, and that result goes to the tenant's (or the default) results topic, where the
 * producer's team reads it. No pattern configured (the default) refuses every per-request topic.
 *
 * <p>Dead letters are not routed: they stay on {@code topics.dead-letters}, the operator's topic.
 *
 * <p>Immutable and thread-safe.
 */
public final class Destinations {
    /** Longest part of a refused topic name quoted in a reason (the name comes from the request). */
    private static final int MAX_QUOTED_CHARS = 120;
    /** Kafka's limit on a topic name's length. */
    private static final int MAX_TOPIC_NAME_CHARS = 249;
    private static final Pattern LEGAL_TOPIC_NAME = Pattern.compile("[a-zA-Z0-9._-]+");
    private static final String RESULTS = "results";
    private static final String USAGE = "usage";
    private static final String CHUNKS = "chunks";

    /** Where a job's outputs go. */
    public sealed interface Decision {
        OutputTopics topics();

        /** The outputs go to {@code topics}. */
        record Granted(OutputTopics topics) implements Decision {
            public Granted {
                Objects.requireNonNull(topics, "topics");
            }
        }

        /**
         * The request named a topic it may not use: the job is INVALID, and its result goes to {@code topics} (the
         * tenant's or the default ones).
         *
         * @param parameter the request field at fault
         * @param reason    why, naming the field and the topic (never a secret)
         */
        record Refused(OutputTopics topics, String parameter, String reason) implements Decision {
            public Refused {
                Objects.requireNonNull(topics, "topics");
                Objects.requireNonNull(parameter, "parameter");
                Objects.requireNonNull(reason, "reason");
            }
        }
    }

    private final OutputTopics defaults;
    private final Map<String, OutputTopics> tenants;
    private final Pattern replyTopicPattern;
    private final Set<String> reserved;
    /** Every configured output topic, with its kind ({@code results}, {@code usage}, {@code chunks}). */
    private final Map<String, String> configuredKinds;

    /**
     * @param defaults          {@code topics.*}
     * @param tenants           each tenant's topics by its name as Micronaut binds it, fallbacks already applied
     * @param replyTopicPattern what a per-request topic must match as a whole; null refuses them all
     * @param reserved          topics no output may go to (the worker's inputs, votes and dead letters)
     */
    public Destinations(OutputTopics defaults, Map<String, OutputTopics> tenants, Pattern replyTopicPattern,
                        Set<String> reserved) {
        this.defaults = Objects.requireNonNull(defaults, "defaults");
        this.tenants = Map.copyOf(tenants);
        this.replyTopicPattern = replyTopicPattern;
        this.reserved = Set.copyOf(reserved);
        for (Map.Entry<String, OutputTopics> t : this.tenants.entrySet()) {
            for (String topic : List.of(t.getValue().results(), t.getValue().usage(), t.getValue().chunks())) {
                if (this.reserved.contains(topic)) {
                    throw new IllegalArgumentException("tenants." + t.getKey() + ".topics names '" + topic
                            + "', one of the worker's input, vote or dead-letter topics");
                }
            }
        }
        Map<String, String> kinds = new LinkedHashMap<>();
        for (OutputTopics t : concat(defaults, this.tenants.values())) {
            kinds.putIfAbsent(t.results(), RESULTS);
            kinds.putIfAbsent(t.usage(), USAGE);
            kinds.putIfAbsent(t.chunks(), CHUNKS);
        }
        this.configuredKinds = Map.copyOf(kinds);
    }

    /**
     * From configuration: {@code topics.*} and every {@code tenants.<name>.topics} block.
     *
     * @throws IllegalArgumentException when {@code topics.reply-topic-pattern} is not a valid regular expression, or
     *                                  a tenant's output topic is one of the worker's inputs or its dead-letter topic
     */
    public static Destinations of(TopicSettings topics, List<TenantTopicSettings> tenantSettings) {
        OutputTopics defaults = new OutputTopics(topics.getResults(), topics.getUsage(), topics.getChunks());
        Map<String, OutputTopics> tenants = new LinkedHashMap<>();
        for (TenantTopicSettings t : tenantSettings) {
            TenantTopicSettings.Topics own = t.getTopics();
            tenants.put(t.getName(), new OutputTopics(Objects.requireNonNullElse(own.getResults(), defaults.results()),
                    Objects.requireNonNullElse(own.getUsage(), defaults.usage()),
                    Objects.requireNonNullElse(own.getChunks(), defaults.chunks())));
        }
        Pattern pattern = null;
        String regex = topics.getReplyTopicPattern();
        if (regex != null && !regex.isBlank()) {
            try {
                pattern = Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("topics.reply-topic-pattern is not a valid regular expression: "
                        + e.getDescription(), e);
            }
        }
        Set<String> reserved = Set.of(topics.getRequests(), topics.getVoteRequests(), topics.getVotes(),
                topics.getDeadLetters());
        return new Destinations(defaults, tenants, pattern, reserved);
    }

    /** Where {@code request}'s outputs go, or why it may not name the topics it names. */
    public Decision decide(CompletionRequest request) {
        OutputTopics base = tenantTopics(request.getTenant());
        if (request.getResultsTopic() == null && request.getUsageTopic() == null && request.getChunksTopic() == null) {
            return new Decision.Granted(base); // the common case: nothing named, nothing to check
        }
        Optional<Decision> refused = refusal(RESULTS, request.getResultsTopic(), base)
                .or(() -> refusal(USAGE, request.getUsageTopic(), base))
                .or(() -> refusal(CHUNKS, request.getChunksTopic(), base));
        if (refused.isPresent()) {
            return refused.get();
        }
        return new Decision.Granted(new OutputTopics(
                Objects.requireNonNullElse(request.getResultsTopic(), base.results()),
                Objects.requireNonNullElse(request.getUsageTopic(), base.usage()),
                Objects.requireNonNullElse(request.getChunksTopic(), base.chunks())));
    }

    /**
     * Every output topic the configuration names (default and tenants'), each once, defaults first: what the worker
     * checks it can write to. Per-request topics are not known in advance and are not in it.
     */
    public Set<String> configuredTopics() {
        Set<String> all = new LinkedHashSet<>(List.of(defaults.results(), defaults.usage(), defaults.chunks()));
        tenants.keySet().stream().sorted().map(tenants::get)
                .forEach(t -> all.addAll(List.of(t.results(), t.usage(), t.chunks())));
        return all;
    }

    /** The default topics, {@code topics.*}. */
    public OutputTopics defaults() {
        return defaults;
    }

    /** The tenants whose topics are configured, by name (fallbacks applied). */
    public Map<String, OutputTopics> tenants() {
        return tenants;
    }

    /** The per-request topic allow-list, empty when per-request topics are refused. */
    public Optional<Pattern> replyTopicPattern() {
        return Optional.ofNullable(replyTopicPattern);
    }

    private OutputTopics tenantTopics(String tenant) {
        if (tenant == null || tenants.isEmpty()) {
            return defaults;
        }
        OutputTopics own = TenantNames.lookup(tenants, tenant);
        return own == null ? defaults : own;
    }

    private Optional<Decision> refusal(String kind, String topic, OutputTopics base) {
        if (topic == null) {
            return Optional.empty();
        }
        String parameter = kind + "_topic";
        String configuredKind = configuredKinds.get(topic);
        String why;
        if (replyTopicPattern == null) {
            why = "this worker takes no per-request output topics (topics.reply-topic-pattern is not set)";
        } else if (!replyTopicPattern.matcher(topic).matches()) {
            why = "it does not match the allowed pattern " + replyTopicPattern.pattern();
        } else if (topic.length() > MAX_TOPIC_NAME_CHARS || !LEGAL_TOPIC_NAME.matcher(topic).matches()
                || topic.equals(".") || topic.equals("..")) {
            why = "it is not a legal Kafka topic name";
        } else if (reserved.contains(topic)) {
            why = "it is one of the worker's input, vote or dead-letter topics";
        } else if (configuredKind != null && !configuredKind.equals(kind)) {
            why = "it is a configured " + configuredKind + " topic";
        } else {
            return Optional.empty();
        }
        return Optional.of(new Decision.Refused(base, parameter,
                parameter + " '" + quoted(topic) + "' is not allowed: " + why));
    }

    private static List<OutputTopics> concat(OutputTopics first, Collection<OutputTopics> rest) {
        List<OutputTopics> all = new ArrayList<>(rest.size() + 1);
        all.add(first);
        all.addAll(rest);
        return all;
    }

    /** The name as the request gave it, cut, without control characters (it goes to logs and dead letters). */
    private static String quoted(String topic) {
        String cut = topic.length() <= MAX_QUOTED_CHARS ? topic : topic.substring(0, MAX_QUOTED_CHARS) + "...";
        return cut.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
