package io.switchboard.ai.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PriceTableTest {

    private final PriceTable prices = PriceTable.defaults();

    @Test
    void gpt4oMiniCostsInputMinusCachedPlusCachedPlusOutput() {
        // (800 × 0.15 + 200 × 0.075 + 500 × 0.60) / 1e6 = (120 + 15 + 300) / 1e6
        assertThat(prices.cost("gpt-4o-mini", new LlmUsage(1000, 500, 200))).contains(new BigDecimal("0.000435"));
    }

    @Test
    void costIsRoundedHalfUpToSixDecimals() {
        // 1 × 0.075 / 1e6 = 0.000000075 → 0.000000
        assertThat(prices.cost("gpt-4o-mini", new LlmUsage(1, 0, 1))).contains(new BigDecimal("0.000000"));
        // 7 × 0.075 / 1e6 = 0.000000525 → 0.000001
        assertThat(prices.cost("gpt-4o-mini", new LlmUsage(7, 0, 7))).contains(new BigDecimal("0.000001"));
    }

    @Test
    void anUnknownModelHasAnUnknownCostNotZero() {
        assertThat(prices.cost("llama3.1:8b", new LlmUsage(1000, 500, 0))).isEmpty();
        assertThat(prices.cost("gpt-4o-audio-preview", new LlmUsage(1000, 500, 0))).isEmpty();
    }

    @Test
    void datedSnapshotsArePricedAsTheirLongestKnownPrefix() {
        assertThat(prices.priceOf("gpt-4o-mini-2024-07-18")).isEqualTo(prices.priceOf("gpt-4o-mini"));
        assertThat(prices.priceOf("gpt-4o-2024-08-06")).isEqualTo(prices.priceOf("gpt-4o"));
        assertThat(prices.priceOf("gpt-4.1-mini-2025-04-14")).isEqualTo(prices.priceOf("gpt-4.1-mini"));
        assertThat(prices.priceOf("gpt-4o-mini")).isNotEqualTo(prices.priceOf("gpt-4o"));
        assertThat(prices.cost("gpt-4o-2024-08-06", new LlmUsage(1_000_000, 0, 0))).contains(new BigDecimal("2.500000"));
    }

    @Test
    void configuredPricesOverrideAndExtendTheDefaults() {
        PriceTable configured = prices.with(Map.of(
                "gpt-4o", PriceTable.ModelPrice.of("3.00", "1.50", "12.00"),
                "llama3.1:8b", PriceTable.ModelPrice.of("0", "0", "0")));

        assertThat(configured.cost("gpt-4o", new LlmUsage(1_000_000, 0, 0))).contains(new BigDecimal("3.000000"));
        assertThat(configured.cost("llama3.1:8b", new LlmUsage(1000, 500, 0))).contains(new BigDecimal("0.000000"));
        assertThat(configured.cost("gpt-4o-mini", new LlmUsage(1000, 500, 200))).contains(new BigDecimal("0.000435"));
    }

    @Test
    void propertiesMergeTheDefaultPricesUnderConfiguredOnes() {
        LlmProperties properties = new LlmProperties(
                Map.of("gpt-4o", PriceTable.ModelPrice.of("3.00", "1.50", "12.00")), null, null, null, null);

        assertThat(properties.priceTable().priceOf("gpt-4o-mini")).isPresent();
        assertThat(properties.priceTable().priceOf("gpt-4o")).contains(PriceTable.ModelPrice.of("3.00", "1.50", "12.00"));
        assertThat(properties.callTimeout()).hasSeconds(60);
        assertThat(properties.retry().maxAttempts()).isEqualTo(4);
        assertThat(properties.defaultBaseUrl()).isNotBlank();
    }
}
