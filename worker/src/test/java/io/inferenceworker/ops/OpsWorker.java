package io.inferenceworker.ops;

import io.inferenceworker.testkit.DevStack;
import io.inferenceworker.testkit.sim.Dialect;
import java.util.HashMap;
import java.util.Map;

/** A worker of the ops tests on the shared dev stack: its own group and output topics, the simulator as provider. */
final class OpsWorker {
    private OpsWorker() {
    }

    /**
     * Creates {@code prefix}'s output topics ({@code .results}, {@code .usage}, {@code .chunks}, {@code .dlq}, one
     * partition each) and returns a worker's properties for them, without request topics: the caller adds those.
     */
    static Map<String, Object> properties(DevStack stack, String prefix) {
        for (String topic : new String[] {".results", ".usage", ".chunks", ".dlq"}) {
            stack.kafka().createTopic(prefix + topic, 1);
        }
        Map<String, Object> p = new HashMap<>();
        p.put("micronaut.server.port", -1);
        p.put("kafka.bootstrap-servers", stack.kafka().bootstrapServers());
        p.put("kafka.group-id", prefix + ".group");
        p.put("schema-registry.url", stack.registry().url());
        p.put("topics.results", prefix + ".results");
        p.put("topics.usage", prefix + ".usage");
        p.put("topics.chunks", prefix + ".chunks");
        p.put("topics.dead-letters", prefix + ".dlq");
        p.put("worker.shutdown-grace", "2s");
        p.put("providers.sim.type", "openai");
        p.put("providers.sim.base-url", stack.simulator().baseUrl(Dialect.OPENAI));
        return p;
    }
}
