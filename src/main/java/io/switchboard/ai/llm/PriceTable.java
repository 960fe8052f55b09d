package io.switchboard.ai.llm;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a call cost, from per-model prices in USD per 1 million tokens.
 *
 * <p>Cost = ((prompt − cached)·input + cached·cachedInput + completion·output) / 10⁶, in USD with
 * 6 decimals, rounded half-up. A model is found by its exact name, else as a dated snapshot of the
 * longest known name: that name followed by {@code -YYYY-MM-DD} or {@code -MMDD} (so
 * {@code gpt-4o-mini-2024-07-18} is priced as {@code gpt-4o-mini}, while {@code gpt-4o-mini} or
 * {@code gpt-4o-audio-preview} are never priced as {@code gpt-4o}: other suffixes name other models
 * with other prices). An unknown model has an unknown cost, never zero: {@link #cost} returns empty.
 */
public final class PriceTable {

    /** USD per 1 million tokens. */
    public record ModelPrice(BigDecimal input, BigDecimal cachedInput, BigDecimal output) {
        public ModelPrice {
            Objects.requireNonNull(input, "input");
            Objects.requireNonNull(output, "output");
            cachedInput = cachedInput == null ? input : cachedInput; // no cache discount known
        }

        public static ModelPrice of(String input, String cachedInput, String output) {
            return new ModelPrice(new BigDecimal(input), new BigDecimal(cachedInput), new BigDecimal(output));
        }
    }

    private static final Pattern SNAPSHOT_SUFFIX = Pattern.compile("-(\\d{4}-\\d{2}-\\d{2}|\\d{4})");
    private static final BigDecimal ONE_MILLION = BigDecimal.valueOf(1_000_000);

    private final Map<String, ModelPrice> prices;

    public PriceTable(Map<String, ModelPrice> prices) {
        this.prices = Map.copyOf(prices);
    }

    /** Mid-2026 list prices from PROTOCOLS.md; production overrides them through {@link LlmProperties}. */
    public static PriceTable defaults() {
        return new PriceTable(defaultPrices());
    }

    static Map<String, ModelPrice> defaultPrices() {
        Map<String, ModelPrice> prices = new LinkedHashMap<>();
        prices.put("gpt-4o", ModelPrice.of("2.50", "1.25", "10.00"));
        prices.put("gpt-4o-mini", ModelPrice.of("0.15", "0.075", "0.60"));
        prices.put("gpt-4.1", ModelPrice.of("2.00", "0.50", "8.00"));
        prices.put("gpt-4.1-mini", ModelPrice.of("0.40", "0.10", "1.60"));
        prices.put("gpt-5-mini", ModelPrice.of("0.25", "0.025", "2.00"));
        return prices;
    }

    /** The same prices with {@code overrides} added or replacing. */
    public PriceTable with(Map<String, ModelPrice> overrides) {
        Map<String, ModelPrice> merged = new LinkedHashMap<>(prices);
        merged.putAll(overrides);
        return new PriceTable(merged);
    }

    public Map<String, ModelPrice> prices() {
        return prices;
    }

    public Optional<ModelPrice> priceOf(String model) {
        if (model == null) {
            return Optional.empty();
        }
        ModelPrice exact = prices.get(model);
        if (exact != null) {
            return Optional.of(exact);
        }
        return prices.keySet().stream()
                .filter(known -> model.startsWith(known)
                        && SNAPSHOT_SUFFIX.matcher(model.substring(known.length())).matches())
                .max(Comparator.comparingInt(String::length))
                .map(prices::get);
    }

    /** USD for one call, or empty when the model's price is unknown. */
    public Optional<BigDecimal> cost(String model, LlmUsage usage) {
        return priceOf(model).map(price -> {
            int cached = Math.min(Math.max(usage.cachedTokens(), 0), usage.promptTokens());
            BigDecimal perMillion = price.input().multiply(BigDecimal.valueOf(usage.promptTokens() - cached))
                    .add(price.cachedInput().multiply(BigDecimal.valueOf(cached)))
                    .add(price.output().multiply(BigDecimal.valueOf(usage.completionTokens())));
            return perMillion.divide(ONE_MILLION, 6, RoundingMode.HALF_UP);
        });
    }
}
