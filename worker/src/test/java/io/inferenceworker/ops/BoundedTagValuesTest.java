package io.inferenceworker.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class BoundedTagValuesTest {

    @Test
    void admitsTheFirstDistinctValuesOnly() {
        BoundedTagValues values = new BoundedTagValues(2);

        assertThat(values.admit("a")).isEqualTo("a");
        assertThat(values.admit("b")).isEqualTo("b");
        assertThat(values.admit("c")).isEqualTo("other");
        assertThat(values.admit("a")).isEqualTo("a");
        assertThat(values.admit(null)).isEqualTo("other");
    }

    @Test
    void namesMissingValuesUnknown() {
        BoundedTagValues values = new BoundedTagValues(5);

        assertThat(values.admit(null)).isEqualTo("unknown");
        assertThat(values.admit("  ")).isEqualTo("unknown");
        assertThat(values.admit(" gpt ")).isEqualTo("gpt");
    }

    @Test
    void neverAdmitsMoreThanTheLimitUnderConcurrency() throws Exception {
        BoundedTagValues values = new BoundedTagValues(50);
        Set<String> seen = ConcurrentHashMap.newKeySet();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> tasks = new java.util.ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                tasks.add(pool.submit(() -> {
                    for (int i = 0; i < 1_000; i++) {
                        seen.add(values.admit("model-" + thread + "-" + i));
                    }
                }));
            }
            for (Future<?> task : tasks) {
                task.get();
            }
        }
        assertThat(seen).hasSize(51).contains("other");
    }

    @Test
    void rejectsANonPositiveLimit() {
        assertThatThrownBy(() -> new BoundedTagValues(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMissingValueTakesTheGivenNameAndCountsTowardsTheLimit() {
        BoundedTagValues tenants = new BoundedTagValues(2);

        assertThat(tenants.admit(null, "none")).isEqualTo("none");
        assertThat(tenants.admit("  ", "none")).isEqualTo("none");
        assertThat(tenants.admit("acme", "none")).isEqualTo("acme");
        assertThat(tenants.admit("globex", "none")).isEqualTo("other");
    }
}
