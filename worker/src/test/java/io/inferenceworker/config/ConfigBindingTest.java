package io.inferenceworker.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferenceworker.provider.ProviderSettings;
import io.micronaut.context.ApplicationContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pass-through maps keep Kafka's and Confluent's dotted keys whole, whether they come from YAML, environment variables
 * or system properties (all of which Micronaut flattens to dotted keys): SASL settings silently dropped would leave a
 * worker unable to reach a managed cluster.
 */
class ConfigBindingTest {

    @Test
    void dottedClientPropertiesBindWithTheirKeysIntact() {
        try (ApplicationContext ctx = ApplicationContext.run(Map.ofEntries(
                Map.entry("worker.enabled", "false"),
                Map.entry("votes.enabled", "false"),
                Map.entry("kafka.properties.security.protocol", "SASL_SSL"),
                Map.entry("kafka.properties.sasl.mechanism", "PLAIN"),
                Map.entry("kafka.producer.linger.ms", "7"),
                Map.entry("kafka.consumer.max.poll.records", "50"),
                Map.entry("schema-registry.properties.basic.auth.credentials.source", "USER_INFO"),
                Map.entry("providers.alpha.type", "openai"),
                Map.entry("providers.alpha.base-url", "http://127.0.0.1:1"),
                Map.entry("providers.alpha.options.rating-path", "/v1/x/{id}/rate"),
                Map.entry("providers.alpha.price.input-per-million.gpt-4.1", "2.0")))) {
            KafkaSettings kafka = ctx.getBean(KafkaSettings.class);
            assertThat(kafka.getProperties()).containsEntry("security.protocol", "SASL_SSL")
                    .containsEntry("sasl.mechanism", "PLAIN");
            assertThat(kafka.getProducer()).containsEntry("linger.ms", "7");
            assertThat(kafka.getConsumer()).containsEntry("max.poll.records", "50");
            assertThat(kafka.clientProperties(Map.of())).containsEntry("security.protocol", "SASL_SSL");
            assertThat(ctx.getBean(SchemaRegistrySettings.class).serdeProperties())
                    .containsEntry("basic.auth.credentials.source", "USER_INFO");
            ProviderSettings alpha = ctx.getBeansOfType(ProviderSettings.class).stream()
                    .filter(p -> p.getName().equals("alpha")).findFirst().orElseThrow();
            assertThat(alpha.getOptions()).containsEntry("rating-path", "/v1/x/{id}/rate");
            assertThat(alpha.getPrice().getInputPerMillion()).containsEntry("gpt-4.1", 2.0);
        }
    }
}
