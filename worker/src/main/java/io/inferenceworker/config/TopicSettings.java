package io.inferenceworker.config;

import io.micronaut.context.annotation.ConfigurationProperties;

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

    private String requests = DEFAULT_REQUESTS;
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
