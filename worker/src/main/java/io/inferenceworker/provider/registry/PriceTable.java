package io.inferenceworker.provider.registry;

import io.inferenceworker.provider.ProviderSettings;
import io.inferenceworker.schemas.Usage;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Estimated cost of a call from a provider instance's price table ({@code providers.<name>.price.*}): prices per
 * million tokens by model, the entry {@value #DEFAULT_ENTRY} applying to models not listed. Cached prompt tokens are
 * priced as input tokens (no separate cached price is configured).
 *
 * <p>An estimate is made only when every side with tokens has a price: a table without an output price for a model
 * gives no estimate for a call that produced output, rather than an estimate that is too low. Immutable and
 * thread-safe.
 */
public final class PriceTable {
    /** The entry that prices models not listed by name. */
    public static final String DEFAULT_ENTRY = "default";

    private static final PriceTable NONE = new PriceTable("USD", Map.of(), Map.of());

    private final String currency;
    private final Map<String, Double> inputPerMillion;
    private final Map<String, Double> outputPerMillion;

    private PriceTable(String currency, Map<String, Double> inputPerMillion, Map<String, Double> outputPerMillion) {
        this.currency = currency;
        this.inputPerMillion = Map.copyOf(inputPerMillion);
        this.outputPerMillion = Map.copyOf(outputPerMillion);
    }

    /** A table without prices: every estimate is empty. */
    public static PriceTable none() {
        return NONE;
    }

    /**
     * Freezes configured prices.
     *
     * @throws IllegalArgumentException on a negative or non-finite price, or a blank currency
     */
    public static PriceTable of(ProviderSettings.Price price) {
        Objects.requireNonNull(price, "price");
        String currency = price.getCurrency();
        if (currency == null || currency.isBlank()) {
            throw new IllegalArgumentException("price.currency must not be blank");
        }
        Map<String, Double> input = price.getInputPerMillion() == null ? Map.of() : price.getInputPerMillion();
        Map<String, Double> output = price.getOutputPerMillion() == null ? Map.of() : price.getOutputPerMillion();
        requireValid(input, "price.input-per-million");
        requireValid(output, "price.output-per-million");
        return new PriceTable(currency.trim(), input, output);
    }

    /** The currency of every estimate, e.g. {@code USD}. */
    public String currency() {
        return currency;
    }

    /**
     * The estimated cost of {@code usage} on {@code model} (null: the default entry), or empty when the table cannot
     * price it.
     */
    public OptionalDouble estimate(String model, Usage usage) {
        if (usage == null) {
            return OptionalDouble.empty();
        }
        long input = usage.getPromptTokens();
        long output = usage.getCompletionTokens();
        Double inputPrice = priceOf(inputPerMillion, model);
        Double outputPrice = priceOf(outputPerMillion, model);
        if (inputPrice == null && outputPrice == null
                || input > 0 && inputPrice == null
                || output > 0 && outputPrice == null) {
            return OptionalDouble.empty();
        }
        double cost = (input > 0 ? input * inputPrice : 0.0) + (output > 0 ? output * outputPrice : 0.0);
        return OptionalDouble.of(cost / 1_000_000.0);
    }

    private static Double priceOf(Map<String, Double> prices, String model) {
        Double price = model == null ? null : prices.get(model);
        return price != null ? price : prices.get(DEFAULT_ENTRY);
    }

    private static void requireValid(Map<String, Double> prices, String what) {
        prices.forEach((model, price) -> {
            if (price == null || price.isNaN() || price.isInfinite() || price < 0) {
                throw new IllegalArgumentException(what + "." + model + " must be a finite price >= 0, was " + price);
            }
        });
    }

    @Override
    public String toString() {
        return "PriceTable[" + currency + ", input=" + inputPerMillion + ", output=" + outputPerMillion + "]";
    }
}
