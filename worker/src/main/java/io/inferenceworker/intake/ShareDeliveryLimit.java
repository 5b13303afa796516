package io.inferenceworker.intake;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads how many times a share group delivers a record before the broker archives it: the group's
 * {@code share.delivery.count.limit}, else the broker's {@code group.share.delivery.count.limit}, else Kafka's default
 * {@value #KAFKA_DEFAULT}. Asked once when the intake starts; a broker that cannot answer within the timeout gets the
 * default (logged), which at worst dead-letters a record one delivery late or early, never loses it silently.
 *
 * <p>Thread-safe; each call opens and closes its own admin client.
 */
final class ShareDeliveryLimit implements IntSupplier {
    static final int KAFKA_DEFAULT = 5;
    static final String GROUP_KEY = "share.delivery.count.limit";
    static final String BROKER_KEY = "group.share.delivery.count.limit";
    private static final Logger LOG = LoggerFactory.getLogger(ShareDeliveryLimit.class);

    private final Map<String, Object> adminProperties;
    private final String groupId;
    private final Duration timeout;

    ShareDeliveryLimit(Map<String, Object> adminProperties, String groupId, Duration timeout) {
        this.adminProperties = Map.copyOf(adminProperties);
        this.groupId = Objects.requireNonNull(groupId, "groupId");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public int getAsInt() {
        try (Admin admin = Admin.create(adminProperties)) {
            OptionalInt group = read(admin, new ConfigResource(ConfigResource.Type.GROUP, groupId), GROUP_KEY);
            if (group.isPresent()) {
                return group.getAsInt();
            }
            Collection<Node> nodes = admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Optional<Node> any = nodes.stream().findFirst();
            if (any.isPresent()) {
                OptionalInt broker = read(admin, new ConfigResource(ConfigResource.Type.BROKER, any.get().idString()),
                        BROKER_KEY);
                if (broker.isPresent()) {
                    return broker.getAsInt();
                }
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warn("Could not read the share group's delivery count limit, assuming {}: {}", KAFKA_DEFAULT,
                    e.toString());
        }
        return KAFKA_DEFAULT;
    }

    private OptionalInt read(Admin admin, ConfigResource resource, String key) throws Exception {
        Config config = admin.describeConfigs(List.of(resource)).all()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(resource);
        ConfigEntry entry = config == null ? null : config.get(key);
        if (entry == null || entry.value() == null || entry.value().isBlank()) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(Integer.parseInt(entry.value().trim()));
    }
}
