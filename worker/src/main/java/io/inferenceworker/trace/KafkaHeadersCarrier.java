package io.inferenceworker.trace;

import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** Reads and writes W3C trace context in Kafka record headers (UTF-8 values; the last header of a name wins). */
enum KafkaHeadersCarrier implements TextMapGetter<Headers>, TextMapSetter<Headers> {
    INSTANCE;

    @Override
    public Iterable<String> keys(Headers carrier) {
        Set<String> keys = new LinkedHashSet<>();
        carrier.forEach(header -> keys.add(header.key()));
        return keys;
    }

    @Override
    public String get(Headers carrier, String key) {
        if (carrier == null) {
            return null;
        }
        Header header = carrier.lastHeader(key);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void set(Headers carrier, String key, String value) {
        if (carrier != null) {
            carrier.remove(key);
            carrier.add(key, value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
