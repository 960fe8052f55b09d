package io.switchboard.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class AgentSettingsTest {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void anAgentThatConfiguredNothingGetsTheDefaults() {
        AgentSettings settings = AgentSettings.defaults();

        assertThat(settings.responseDelayMin()).isZero();
        assertThat(settings.responseDelayMax()).isZero();
        assertThat(settings.contextTimerSeconds()).isZero();
        assertThat(settings.welcomeMessage()).isNull();
        assertThat(settings.historyLimit()).isEqualTo(20);
        assertThat(settings.turnTimeoutSeconds()).isEqualTo(120);
        assertThat(settings.maxToolRounds()).isEqualTo(5);
        assertThat(settings.faq()).isEmpty();
        assertThat(settings.fallbackMessage()).isNull();
        assertThat(settings.escalation()).isEqualTo(AgentSettings.Escalation.DEFAULTS);
        assertThat(settings.escalation().maxCustomerMessages()).isEqualTo(20);
        assertThat(settings.rateLimits().requestsPerMinute()).isNull();
    }

    @Test
    void typedValuesAreReadAndUnknownKeysSurviveTheRoundTrip() {
        AgentSettings settings = AgentSettings.from(json.readTree("""
                {"response_delay_min": 1, "response_delay_max": 4, "welcome_message": "Olá!",
                 "faq": [{"question": "Preço?", "answer": "R$ 10"}],
                 "escalation": {"human_request_phrases": ["quero falar com gente"], "max_customer_messages": 40,
                                "negative_sentiment_enabled": false},
                 "rate_limits": {"requests_per_minute": 10}, "cost_limits": {"daily_limit_usd": 10.5},
                 "future_setting": {"a": 1}}"""));

        assertThat(settings.responseDelayMax()).isEqualTo(4);
        assertThat(settings.faq()).containsExactly(new AgentSettings.FaqEntry("Preço?", "R$ 10"));
        assertThat(settings.escalation().humanRequestPhrases()).containsExactly("quero falar com gente");
        assertThat(settings.escalation().maxCustomerMessages()).isEqualTo(40);
        assertThat(settings.escalation().negativeSentimentEnabled()).isFalse();
        assertThat(settings.escalation().enabled()).isTrue();
        assertThat(settings.rateLimits().requestsPerMinute()).isEqualTo(10);
        assertThat(settings.costLimits().dailyLimitUsd()).isEqualTo(10.5);

        var shown = settings.toJson(json);
        assertThat(shown.get("future_setting").get("a").asInt()).isEqualTo(1);
        assertThat(shown.get("history_limit").asInt()).isEqualTo(20);
        AgentSettings reread = AgentSettings.from(shown);
        assertThat(reread.escalation()).as("what the API shows reads back the same").isEqualTo(settings.escalation());
        assertThat(reread.faq()).isEqualTo(settings.faq());
        assertThat(reread.costLimits()).isEqualTo(settings.costLimits());
    }

    @Test
    void aMinimumDelayAboveTheMaximumIsRefused() {
        assertThatThrownBy(() -> AgentSettings.from(json.readTree("{\"response_delay_min\": 5, \"response_delay_max\": 2}")))
                .hasMessage("settings.response_delay_min (5) must not be greater than settings.response_delay_max (2)");
    }

    @Test
    void onlyAMinimumDelayMakesTheMaximumFollowIt() {
        assertThat(AgentSettings.from(json.readTree("{\"response_delay_min\": 3}")).responseDelayMax()).isEqualTo(3);
    }

    @Test
    void wrongTypesAndNegativeTimersNameTheField() {
        assertThatThrownBy(() -> AgentSettings.from(json.readTree("{\"context_timer_seconds\": -1}")))
                .hasMessageStartingWith("settings.context_timer_seconds must not be negative");
        assertThatThrownBy(() -> AgentSettings.from(json.readTree("{\"max_tool_rounds\": 2.5}")))
                .hasMessageStartingWith("settings.max_tool_rounds must be a whole number");
        assertThatThrownBy(() -> AgentSettings.from(json.readTree("{\"escalation\": {\"negative_sentiment_threshold\": -3}}")))
                .hasMessageStartingWith("settings.escalation.negative_sentiment_threshold must be between -1.0 and 1.0");
        assertThatThrownBy(() -> AgentSettings.from(json.readTree("{\"faq\": [{\"question\": \"x\"}]}")))
                .hasMessage("settings.faq[0] needs both 'question' and 'answer'");
        assertThatThrownBy(() -> AgentSettings.from(json.readTree("[]"))).hasMessage("settings must be a JSON object");
    }
}
