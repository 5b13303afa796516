package io.inferenceworker.publish;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;
import java.util.Objects;

/**
 * A tenant's own output topics, {@code tenants.<name>.topics.*}: {@code results}, {@code usage}, {@code chunks}, each
 * optional; one left unset falls back to {@code topics.*}. A job whose {@code tenant} field equals {@code <name>}
 * publishes there ({@link Destinations}).
 *
 * <p>Only the nested {@code topics} block is read: other keys under {@code tenants.<name>} (per-tenant limits) belong
 * to other settings classes and are neither bound nor checked here. Every tenant under {@code tenants} gets one
 * instance, with no topics of its own when it has no {@code topics} block.
 *
 * <p>Defaults: none (every topic falls back). Bound once at start-up; not modified afterwards.
 */
@EachProperty("tenants")
public class TenantTopicSettings {
    private final String name;
    private final Topics topics;

    /**
     * The {@code topics} block is {@code @Nullable}: Micronaut creates a nested {@code @ConfigurationProperties} bean
     * only when one of its properties is set, and a tenant configured only for its limits must still bind.
     */
    public TenantTopicSettings(@Parameter String name, @Nullable Topics topics) {
        this.name = Objects.requireNonNull(name, "name");
        this.topics = topics == null ? new Topics() : topics;
    }

    /**
     * The tenant's name as Micronaut binds it: hyphenated and lower-case ({@code TeamA} and {@code team_a} become
     * {@code team-a}); {@link Destinations} matches a request's {@code tenant} the same way.
     */
    public String getName() {
        return name;
    }

    public Topics getTopics() {
        return topics;
    }

    /** {@code tenants.<name>.topics.*}; each getter is null when the key is unset. */
    @ConfigurationProperties("topics")
    public static class Topics {
        private String results;
        private String usage;
        private String chunks;

        public @Nullable String getResults() {
            return results;
        }

        public void setResults(String results) {
            this.results = blankToNull(results);
        }

        public @Nullable String getUsage() {
            return usage;
        }

        public void setUsage(String usage) {
            this.usage = blankToNull(usage);
        }

        public @Nullable String getChunks() {
            return chunks;
        }

        public void setChunks(String chunks) {
            this.chunks = blankToNull(chunks);
        }

        // An empty value (an unset environment variable behind a placeholder) means "not set", not a topic named "".
        private static String blankToNull(String topic) {
            return topic == null || topic.isBlank() ? null : topic.strip();
        }
    }
}
