package io.inferenceworker.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The weighted choice of the next request topic to start a record of. */
class WeightedTopicsTest {
    private static final String HEAVY = "interactive";
    private static final String LIGHT = "batch";

    private static WeightedTopics eightToOne() {
        Map<String, Integer> weights = new LinkedHashMap<>();
        weights.put(HEAVY, 8);
        weights.put(LIGHT, 1);
        return new WeightedTopics(weights);
    }

    /** {@code n} starts while the topics in {@code waiting} all have records waiting. */
    private static List<String> starts(WeightedTopics weights, Set<String> waiting, int n) {
        List<String> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String topic = weights.pick(waiting::contains);
            weights.started(topic);
            order.add(topic);
        }
        return order;
    }

    private static Map<String, Integer> count(List<String> order) {
        Map<String, Integer> counts = new HashMap<>();
        order.forEach(t -> counts.merge(t, 1, Integer::sum));
        return counts;
    }

    @Test
    void whileBothWaitTheStartsAreSplitByWeightInEveryRoundOfNine() {
        WeightedTopics weights = eightToOne();
        List<String> order = starts(weights, Set.of(HEAVY, LIGHT), 900);
        assertThat(count(order)).containsEntry(HEAVY, 800).containsEntry(LIGHT, 100);
        for (int round = 0; round < 100; round++) {
            assertThat(count(order.subList(round * 9, round * 9 + 9))).as("round %d", round)
                    .containsEntry(HEAVY, 8).containsEntry(LIGHT, 1);
        }
    }

    @Test
    void anIdleTopicsShareGoesToTheOthers() {
        WeightedTopics weights = eightToOne();
        assertThat(starts(weights, Set.of(LIGHT), 50)).containsOnly(LIGHT);
        assertThat(starts(weights, Set.of(HEAVY), 50)).containsOnly(HEAVY);
        assertThat(weights.pick(t -> false)).isNull();
    }

    @Test
    void aTopicBackFromIdleHasNoCreditSavedUp() {
        // the light topic runs alone for a long time, then the heavy one comes back: the split is 8:1 at once, the
        // light topic is not shut out to "repay" (and the heavy one gets no burst beyond its weight either)
        WeightedTopics weights = eightToOne();
        starts(weights, Set.of(LIGHT), 1_000);
        Map<String, Integer> counts = count(starts(weights, Set.of(HEAVY, LIGHT), 90));
        assertThat(counts.get(HEAVY)).isBetween(79, 81);
        assertThat(counts.get(LIGHT)).isBetween(9, 11);

        starts(weights, Set.of(HEAVY), 1_000);
        List<String> order = starts(weights, Set.of(HEAVY, LIGHT), 9);
        assertThat(count(order)).containsEntry(HEAVY, 8).containsEntry(LIGHT, 1);
    }

    @Test
    void aPickThatFindsTheBudgetFullCountsNothing() {
        WeightedTopics weights = eightToOne();
        String first = weights.pick(t -> true);
        assertThat(weights.pick(t -> true)).isEqualTo(first);
        weights.started(first);
        assertThat(count(starts(weights, Set.of(HEAVY, LIGHT), 8))).containsEntry(HEAVY, 7).containsEntry(LIGHT, 1);
    }

    @Test
    void noTopicStarvesWhateverTheWeights() {
        Map<String, Integer> w = new LinkedHashMap<>();
        w.put("a", 100);
        w.put("b", 1);
        w.put("c", 3);
        WeightedTopics weights = new WeightedTopics(w);
        List<String> order = starts(weights, Set.of("a", "b", "c"), 104 * 5);
        assertThat(count(order)).containsEntry("a", 500).containsEntry("b", 5).containsEntry("c", 15);
        // weights 104 in all, 3 topics: b starts at least once in any 104 + 3 starts in a row
        for (int from = 0; from + 107 <= order.size(); from++) {
            assertThat(order.subList(from, from + 107)).as("any 107 starts in a row").contains("b");
        }
    }

    @Test
    void theSharesOfTheLimitFollowTheWeightsOfTheBackloggedTopicsAndAddUpToIt() {
        WeightedTopics weights = eightToOne();
        assertThat(weights.share(HEAVY, 16, t -> true)).isEqualTo(14); // 14.2
        assertThat(weights.share(LIGHT, 16, t -> true)).isEqualTo(2);  // 1.8: the larger remainder
        assertThat(weights.share(HEAVY, 1024, t -> true) + weights.share(LIGHT, 1024, t -> true)).isEqualTo(1024);
        // the other topic has nothing: the whole limit
        assertThat(weights.share(LIGHT, 16, t -> false)).isEqualTo(16);
        assertThat(weights.share(HEAVY, 16, LIGHT::equals)).isEqualTo(14);
        // never below one slot, however small the limit
        assertThat(weights.share(LIGHT, 2, t -> true)).isEqualTo(1);
        assertThat(weights.share(HEAVY, 2, t -> true)).isEqualTo(2);
    }

    @Test
    void oneTopicIsTheSingleTopicCase() {
        WeightedTopics weights = WeightedTopics.single("inference.requests");
        assertThat(starts(weights, Set.of("inference.requests"), 3)).containsOnly("inference.requests");
        assertThat(weights.topics()).containsExactly("inference.requests");
    }

    @Test
    void weightsBelowOneAreRefused() {
        assertThatThrownBy(() -> new WeightedTopics(Map.of("a", 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("weight of request topic a");
        assertThatThrownBy(() -> new WeightedTopics(Map.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
