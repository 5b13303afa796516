package io.inferenceworker.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inferenceworker.provider.ProviderConfigurationException;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.exceptions.BeanInstantiationException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Routes bound from configuration (YAML lists arrive as indexed keys) and checked against the instances. */
class RouteTableTest {

    private static Map<String, Object> twoInstances() {
        Map<String, Object> p = new HashMap<>();
        p.put("worker.enabled", "false"); // the table alone: no intake, no Kafka
        p.put("votes.enabled", "false");
        p.put("providers.a.type", "openai");
        p.put("providers.a.base-url", "https://api.example.com");
        p.put("providers.b.type", "nscale");
        p.put("providers.b.base-url", "https://inference.api.nscale.com");
        return p;
    }

    @Test
    void bindsHopsConditionsAndBounds() {
        Map<String, Object> p = twoInstances();
        p.put("routes.chat.hops[0].provider", "a");
        p.put("routes.chat.hops[0].model", "gpt-4o-mini");
        p.put("routes.chat.hops[1].provider", "b");
        p.put("routes.chat.fall-back-on", List.of("circuit-open", "insufficient-credit", "invalid"));
        p.put("routes.chat.max-wait", "3s");
        p.put("routes.chat.attempts-per-hop", 2);
        p.put("routes.plain.hops[0].provider", "b");
        try (ApplicationContext context = ApplicationContext.run(p)) {
            RouteTable table = context.getBean(RouteTable.class);
            assertThat(table.names()).containsExactlyInAnyOrder("chat", "plain");
            Route chat = table.find("chat").orElseThrow();
            assertThat(chat.hops()).containsExactly(new Hop("a", "gpt-4o-mini"), new Hop("b", null));
            assertThat(chat.fallBackOn()).isEqualTo(EnumSet.of(Trigger.CIRCUIT_OPEN, Trigger.INSUFFICIENT_CREDIT,
                    Trigger.INVALID));
            assertThat(chat.maxWait()).isEqualTo(Duration.ofSeconds(3));
            assertThat(chat.attemptsPerHop()).isEqualTo(2);
            Route plain = table.find("plain").orElseThrow();
            assertThat(plain).isEqualTo(Route.of("plain", List.of(new Hop("b", null))));
            assertThat(table.find("a")).isEmpty();
            assertThat(table.find(null)).isEmpty();
        }
    }

    @Test
    void refusesToStartListingEveryProblem() {
        Map<String, Object> p = twoInstances();
        p.put("routes.a.hops[0].provider", "b");
        p.put("routes.bad.hops[0].provider", "nowhere");
        p.put("routes.bad.hops[1].model", "m");
        p.put("routes.bad.hops[2].provider", "a");
        p.put("routes.bad.hops[2].modle", "typo");
        p.put("routes.bad.fall-back-on", List.of("circuit-open", "timeout"));
        p.put("routes.bad.attempts-per-hop", -1);
        try (ApplicationContext context = ApplicationContext.run(p)) {
            assertThatThrownBy(() -> context.getBean(RouteTable.class))
                    .isInstanceOf(BeanInstantiationException.class)
                    .rootCause().isInstanceOfSatisfying(ProviderConfigurationException.class, e ->
                            assertThat(e.problems()).containsExactlyInAnyOrder(
                                    "routes.a: a provider instance has the same name; rename the route",
                                    "routes.bad.hops[0].provider: no provider instance 'nowhere' is configured",
                                    "routes.bad.hops[1].provider is required",
                                    "routes.bad.hops[2]: unknown key(s) [modle]; a hop has provider and model",
                                    "routes.bad.fall-back-on: unknown condition 'timeout'; known: circuit-open, "
                                            + "rate-limited, retries-exhausted, insufficient-credit, invalid",
                                    "routes.bad.attempts-per-hop must be >= 0 (0: the instance's max-attempts)"));
        }
    }
}
