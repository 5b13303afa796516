package io.inferenceworker.provider.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inferenceworker.provider.ProviderSettings;
import io.inferenceworker.schemas.Usage;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PriceTableTest {

    private static PriceTable table(Map<String, Double> input, Map<String, Double> output) {
        ProviderSettings.Price price = new ProviderSettings.Price();
        price.setCurrency("EUR");
        price.setInputPerMillion(input);
        price.setOutputPerMillion(output);
        return PriceTable.of(price);
    }

    @Test
    void pricesByModelThenDefault() {
        PriceTable prices = table(Map.of("big", 10.0, "default", 1.0), Map.of("big", 30.0, "default", 2.0));
        assertThat(prices.currency()).isEqualTo("EUR");
        assertThat(prices.estimate("big", new Usage(1_000_000, 500_000, 1_500_000, null, null, null)).getAsDouble())
                .isEqualTo(25.0);
        assertThat(prices.estimate("small", new Usage(2_000_000, 1_000_000, 3_000_000, null, null, null)).getAsDouble())
                .isEqualTo(4.0);
        assertThat(prices.estimate(null, new Usage(1_000_000, 0, 1_000_000, null, null, null)).getAsDouble())
                .isEqualTo(1.0);
    }

    @Test
    void noEstimateWithoutAPriceForEverySideUsed() {
        PriceTable inputOnly = table(Map.of("m", 1.0), Map.of());
        assertThat(inputOnly.estimate("m", new Usage(10, 0, 10, null, null, null))).isPresent();
        assertThat(inputOnly.estimate("m", new Usage(10, 5, 15, null, null, null))).isEmpty();
        assertThat(inputOnly.estimate("other", new Usage(10, 0, 10, null, null, null))).isEmpty();
        assertThat(inputOnly.estimate("m", null)).isEmpty();
        assertThat(PriceTable.none().estimate("m", new Usage(1, 1, 2, null, null, null))).isEmpty();
    }

    @Test
    void rejectsNegativePrices() {
        assertThatThrownBy(() -> table(Map.of("m", -1.0), Map.of()))
                .hasMessageContaining("price.input-per-million.m");
    }
}
