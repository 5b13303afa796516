package io.inferenceworker.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.convert.format.MapFormat;
import io.micronaut.core.naming.conventions.StringConvention;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Topic names, {@code topics.*}. Every topic is keyed by job ID.
 * Defaults: {@value #DEFAULT_REQUESTS}, {@value #DEFAULT_RESULTS}, {@value #DEFAULT_USAGE}, {@value #DEFAULT_CHUNKS},
 * {@value #DEFAULT_VOTE_REQUESTS}, {@value #DEFAULT_VOTES}, {@value #DEFAULT_DEAD_LETTERS}; no
 * {@code reply-topic-pattern} (requests naming their own output topics are refused).
 *
 * <p>Where a job's outputs actually go (a tenant's topics, a topic the request names) is decided by
 * {@code publish.Destinations}.
 */
@ConfigurationProperties("topics")
public class TopicSettings {
    public static final String DEFAULT_REQUESTS = "inference.requests";
    public static final String DEFAULT_RESULTS = "inference.results";
    public static final String DEFAULT_USAGE = "inference.usage";
    public static final String DEFAULT_CHUNKS = "inference.chunks";
    public static final String DEFAULT_VOTE_REQUESTS = "inference.votes.requests";
    public static final String DEFAULT_VOTES = "inference.votes";
    public static final String DEFAULT_DEAD_LETTERS = "inference.requests.dlq";
    /** The weight of {@code topics.requests} when it is the only request topic. */
    public static final int DEFAULT_WEIGHT = 1;
    /** The smallest weight: a topic of weight 0 would never start a job under contention. */
    public static final int MIN_WEIGHT = 1;

    private String requests = DEFAULT_REQUESTS;
    private Map<String, Integer> requestPriorities = Map.of();
    private String results = DEFAULT_RESULTS;
    private String usage = DEFAULT_USAGE;
    private String chunks = DEFAULT_CHUNKS;
    private String voteRequests = DEFAULT_VOTE_REQUESTS;
    private String votes = DEFAULT_VOTES;
    private String deadLetters = DEFAULT_DEAD_LETTERS;
    private String replyTopicPattern;

    public String getRequests() {
        return requests;
    }

    public void setRequests(String requests) {
        this.requests = requests;
    }

    /**
     * {@code topics.request-priorities}: several request topics and their weights, replacing {@code topics.requests}
     * when set; empty (the default) when not.
     */
    public Map<String, Integer> getRequestPriorities() {
        return requestPriorities;
    }

    /** @throws IllegalArgumentException at start-up when a weight is below {@value #MIN_WEIGHT} or a name is blank */
    public void setRequestPriorities(
            @MapFormat(transformation = MapFormat.MapTransformation.FLAT, keyFormat = StringConvention.RAW)
            Map<String, Integer> requestPriorities) {
        Map<String, Integer> checked = new LinkedHashMap<>();
        if (requestPriorities != null) {
            requestPriorities.forEach((topic, weight) -> {
                if (topic == null || topic.isBlank()) {
                    throw new IllegalArgumentException("topics.request-priorities: a topic name is blank");
                }
                if (weight == null || weight < MIN_WEIGHT) {
                    throw new IllegalArgumentException("topics.request-priorities." + topic + " must be a weight >= "
                            + MIN_WEIGHT + ", was " + weight);
                }
                checked.put(topic, weight);
            });
        }
        this.requestPriorities = Collections.unmodifiableMap(checked);
    }

    /**
     * Every topic the worker reads requests from, with its weight, in configuration order: the
     * {@code topics.request-priorities} when set, else {@code topics.requests} with weight {@value #DEFAULT_WEIGHT}.
     *
     * <p>By default the worker reads one request topic, {@code topics.requests}. With
     * {@code topics.request-priorities} (topic name to weight, each &ge; {@value #MIN_WEIGHT}; none by default) it
     * reads those topics instead and, when the in-flight limit is contended, starts their records in proportion to
     * the weights ({@code io.inferenceworker.intake.WeightedTopics}); {@code topics.requests} is then not read.
     */
    public Map<String, Integer> requestTopics() {
        return requestPriorities.isEmpty() ? Map.of(requests, DEFAULT_WEIGHT) : requestPriorities;
    }

    public String getResults() {
        return results;
    }

    public void setResults(String results) {
        this.results = results;
    }

    public String getUsage() {
        return usage;
    }

    public void setUsage(String usage) {
        this.usage = usage;
    }

    public String getChunks() {
        return chunks;
    }

    public void setChunks(String chunks) {
        this.chunks = chunks;
    }

    public String getVoteRequests() {
        return voteRequests;
    }

    public void setVoteRequests(String voteRequests) {
        this.voteRequests = voteRequests;
    }

    public String getVotes() {
        return votes;
    }

    public void setVotes(String votes) {
        this.votes = votes;
    }

    public String getDeadLetters() {
        return deadLetters;
    }

    public void setDeadLetters(String deadLetters) {
        this.deadLetters = deadLetters;
    }

    /**
     * The regular expression a topic named by a request ({@code results_topic}, {@code usage_topic},
     * {@code chunks_topic}) must match as a whole; null (the default): every such request is INVALID.
     */
    public String getReplyTopicPattern() {
        return replyTopicPattern;
    }

    public void setReplyTopicPattern(String replyTopicPattern) {
        this.replyTopicPattern = replyTopicPattern;
    }
}
