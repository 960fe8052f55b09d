package io.switchboard.web;

import io.switchboard.ai.AgentSettings;
import io.switchboard.ai.AgentTool;
import io.switchboard.ai.AiAgent;
import io.switchboard.ai.AiAgentDraft;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The AI agent form as the browser sent it: every value kept as typed, so a page with errors shows exactly
 * what the person wrote. Input names are the API's field paths ({@code temperature},
 * {@code settings.escalation.max_customer_messages}), which is also how the service names a field in its errors.
 */
final class AiAgentForm {

    static final List<String> AGENT_TYPES = List.of("SDR", "CS", "CLOSER", "SUPPORT");

    /** A number input of the settings: its name (the API path), bounds, and whether it takes decimals. */
    record NumberField(String name, String min, String max, boolean decimal) {
        public String id() {
            return name.replace('.', '-');
        }

        public String step() {
            return decimal ? "any" : "1";
        }
    }

    static final List<NumberField> TIMING = List.of(
            new NumberField("settings.response_delay_min", "0", "3600", false),
            new NumberField("settings.response_delay_max", "0", "3600", false),
            new NumberField("settings.context_timer_seconds", "0", "3600", false),
            new NumberField("settings.turn_timeout_seconds", "1", "900", false),
            new NumberField("settings.history_limit", "1", "200", false),
            new NumberField("settings.max_tool_rounds", "0", "20", false));
    static final List<NumberField> LIMITS = List.of(
            new NumberField("settings.rate_limits.requests_per_minute", "0", null, false),
            new NumberField("settings.rate_limits.requests_per_hour", "0", null, false),
            new NumberField("settings.rate_limits.requests_per_day", "0", null, false),
            new NumberField("settings.cost_limits.daily_limit_usd", "0", null, true),
            new NumberField("settings.cost_limits.monthly_limit_usd", "0", null, true));
    static final List<NumberField> ESCALATION_NUMBERS = List.of(
            new NumberField("settings.escalation.max_customer_messages", "1", "100000", false),
            new NumberField("settings.escalation.negative_sentiment_threshold", "-1", "1", true),
            new NumberField("settings.escalation.max_tool_failures", "1", "100", false));
    static final List<String> SWITCHES = List.of("enabled", "settings.prefer_tools", "settings.escalation.enabled",
            "settings.escalation.human_request_enabled", "settings.escalation.max_customer_messages_enabled",
            "settings.escalation.negative_sentiment_enabled");
    private static final List<String> TEXTS = List.of("name", "description", "agent_type", "agent_type_other", "prompt",
            "model", "temperature", "max_tokens", "max_conversations", "settings.welcome_message",
            "settings.fallback_message", "settings.escalation.human_request_phrases");

    /** One question and its answer; rows left entirely blank are dropped. */
    record FaqRow(String question, String answer) {
        boolean blank() {
            return question.isBlank() && answer.isBlank();
        }
    }

    private final Map<String, String> values;
    private final List<FaqRow> faq;
    private final Set<String> tools;

    private AiAgentForm(Map<String, String> values, List<FaqRow> faq, Set<String> tools) {
        this.values = values;
        this.faq = faq;
        this.tools = tools;
    }

    public String value(String name) {
        return values.getOrDefault(name, "");
    }

    public boolean on(String name) {
        return "true".equals(values.get(name));
    }

    public List<FaqRow> faq() {
        return faq;
    }

    public boolean hasTool(String slug) {
        return tools.contains(slug);
    }

    /** Whether the type is one of the usual ones (else it shows in the free-text field). */
    public boolean usualType() {
        return AGENT_TYPES.contains(value("agent_type"));
    }

    /** A new agent's form, showing the defaults it would get. */
    static AiAgentForm blank() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("agent_type", "SUPPORT");
        values.put("model", "gpt-4o-mini");
        values.put("temperature", "0.7");
        values.put("max_tokens", "1000");
        values.put("max_conversations", "");
        values.put("enabled", "true");
        putSettings(values, AgentSettings.defaults());
        return new AiAgentForm(values, List.of(), Set.of());
    }

    static AiAgentForm of(AiAgent agent) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("name", agent.name());
        values.put("description", nullToEmpty(agent.description()));
        values.put("agent_type", agent.agentType());
        if (!AGENT_TYPES.contains(agent.agentType())) {
            values.put("agent_type_other", agent.agentType());
        }
        values.put("prompt", nullToEmpty(agent.prompt()));
        values.put("model", agent.model());
        values.put("temperature", plain(agent.temperature()));
        values.put("max_tokens", String.valueOf(agent.maxTokens()));
        // 0 and null both mean no limit; blank says so best
        values.put("max_conversations", agent.maxConversations() == null || agent.maxConversations() == 0 ? ""
                : String.valueOf(agent.maxConversations()));
        values.put("enabled", String.valueOf(agent.enabled()));
        putSettings(values, agent.settings());
        Set<String> tools = new LinkedHashSet<>();
        agent.tools().stream().filter(AgentTool::enabled).forEach(t -> tools.add(t.slug()));
        List<FaqRow> faq = agent.settings().faq().stream().map(e -> new FaqRow(e.question(), e.answer())).toList();
        return new AiAgentForm(values, faq, tools);
    }

    static AiAgentForm from(Map<String, String[]> parameters) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : TEXTS) {
            values.put(name, first(parameters, name));
        }
        for (List<NumberField> group : List.of(TIMING, LIMITS, ESCALATION_NUMBERS)) {
            group.forEach(f -> values.put(f.name(), first(parameters, f.name())));
        }
        for (String name : SWITCHES) {
            // an unticked box is simply absent from the form
            values.put(name, String.valueOf(parameters.containsKey(name)));
        }
        String[] questions = parameters.getOrDefault("faq_question", new String[0]);
        String[] answers = parameters.getOrDefault("faq_answer", new String[0]);
        List<FaqRow> faq = new ArrayList<>();
        for (int i = 0; i < Math.max(questions.length, answers.length); i++) {
            FaqRow row = new FaqRow(i < questions.length ? questions[i].strip() : "", i < answers.length ? answers[i].strip() : "");
            if (!row.blank()) {
                faq.add(row);
            }
        }
        Set<String> tools = new LinkedHashSet<>(List.of(parameters.getOrDefault("tools", new String[0])));
        return new AiAgentForm(values, faq, tools);
    }

    /**
     * The draft for the service, or the fields that are not even numbers (as message keys). Every setting is
     * sent, a blank one as null, so on update it returns to its default (the service merges settings).
     *
     * @param current the agent's tools now, so an assigned tool keeps its configuration
     */
    Optional<AiAgentDraft> toDraft(List<AgentTool> current, Map<String, String> errors) {
        String type = value("agent_type_other").isBlank() ? value("agent_type") : value("agent_type_other");
        Double temperature = decimal("temperature", errors);
        Integer maxTokens = integer("max_tokens", errors);
        Integer maxConversations = integer("max_conversations", errors);
        ObjectNode settings = JsonNodeFactory.instance.objectNode();
        ObjectNode escalation = settings.putObject("escalation");
        ObjectNode rateLimits = settings.putObject("rate_limits");
        ObjectNode costLimits = settings.putObject("cost_limits");
        for (NumberField field : concat(TIMING, LIMITS, ESCALATION_NUMBERS)) {
            ObjectNode target = field.name().startsWith("settings.escalation.") ? escalation
                    : field.name().startsWith("settings.rate_limits.") ? rateLimits
                    : field.name().startsWith("settings.cost_limits.") ? costLimits : settings;
            String key = field.name().substring(field.name().lastIndexOf('.') + 1);
            if (field.decimal()) {
                Double number = decimal(field.name(), errors);
                if (number == null) {
                    target.putNull(key);
                } else {
                    target.put(key, number);
                }
            } else {
                Integer number = integer(field.name(), errors);
                if (number == null) {
                    target.putNull(key);
                } else {
                    target.put(key, number);
                }
            }
        }
        settings.put("welcome_message", blankToNull(value("settings.welcome_message")));
        settings.put("fallback_message", blankToNull(value("settings.fallback_message")));
        settings.put("prefer_tools", on("settings.prefer_tools"));
        escalation.put("enabled", on("settings.escalation.enabled"));
        escalation.put("human_request_enabled", on("settings.escalation.human_request_enabled"));
        escalation.put("max_customer_messages_enabled", on("settings.escalation.max_customer_messages_enabled"));
        escalation.put("negative_sentiment_enabled", on("settings.escalation.negative_sentiment_enabled"));
        ArrayNode phrases = escalation.putArray("human_request_phrases");
        value("settings.escalation.human_request_phrases").lines().map(String::strip).filter(l -> !l.isEmpty())
                .forEach(phrases::add);
        ArrayNode faqOut = settings.putArray("faq");
        for (FaqRow row : faq) {
            if (row.question().isBlank() || row.answer().isBlank()) {
                errors.put("settings.faq", "error.agent.faqIncomplete");
            }
            faqOut.addObject().put("question", row.question()).put("answer", row.answer());
        }
        if (!errors.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new AiAgentDraft(value("name"), value("description"), type.isBlank() ? null : type, value("prompt"),
                value("model").isBlank() ? null : value("model"), temperature, maxTokens, on("enabled"),
                maxConversations == null ? 0 : maxConversations, settings, tools(current)));
    }

    /**
     * Ticked tools are assigned and on. An unticked tool that carries its own configuration stays assigned but
     * off, so unticking it by mistake does not lose that configuration.
     */
    private List<AgentTool> tools(List<AgentTool> current) {
        List<AgentTool> result = new ArrayList<>();
        for (String slug : tools) {
            result.add(current.stream().filter(t -> t.slug().equals(slug)).findFirst()
                    .map(t -> new AgentTool(slug, t.config(), true))
                    .orElse(new AgentTool(slug, JsonNodeFactory.instance.objectNode(), true)));
        }
        current.stream().filter(t -> !tools.contains(t.slug()))
                .filter(t -> t.config() != null && t.config().isObject() && !t.config().isEmpty())
                .forEach(t -> result.add(new AgentTool(t.slug(), t.config(), false)));
        return result;
    }

    private Integer integer(String name, Map<String, String> errors) {
        String text = value(name).strip();
        if (text.isEmpty()) {
            return null;
        }
        try {
            return Integer.valueOf(text);
        } catch (NumberFormatException e) {
            errors.put(name, "error.agent.wholeNumber");
            return null;
        }
    }

    /** Accepts a decimal comma too: people writing Portuguese type 0,7. */
    private Double decimal(String name, Map<String, String> errors) {
        String text = value(name).strip().replace(',', '.');
        if (text.isEmpty()) {
            return null;
        }
        try {
            double number = Double.parseDouble(text);
            if (Double.isNaN(number) || Double.isInfinite(number)) {
                throw new NumberFormatException(text);
            }
            return number;
        } catch (NumberFormatException e) {
            errors.put(name, "error.agent.number");
            return null;
        }
    }

    private static void putSettings(Map<String, String> values, AgentSettings s) {
        values.put("settings.response_delay_min", String.valueOf(s.responseDelayMin()));
        values.put("settings.response_delay_max", String.valueOf(s.responseDelayMax()));
        values.put("settings.context_timer_seconds", String.valueOf(s.contextTimerSeconds()));
        values.put("settings.turn_timeout_seconds", String.valueOf(s.turnTimeoutSeconds()));
        values.put("settings.history_limit", String.valueOf(s.historyLimit()));
        values.put("settings.max_tool_rounds", String.valueOf(s.maxToolRounds()));
        values.put("settings.prefer_tools", String.valueOf(s.preferTools()));
        values.put("settings.welcome_message", nullToEmpty(s.welcomeMessage()));
        values.put("settings.fallback_message", nullToEmpty(s.fallbackMessage()));
        values.put("settings.rate_limits.requests_per_minute", text(s.rateLimits().requestsPerMinute()));
        values.put("settings.rate_limits.requests_per_hour", text(s.rateLimits().requestsPerHour()));
        values.put("settings.rate_limits.requests_per_day", text(s.rateLimits().requestsPerDay()));
        values.put("settings.cost_limits.daily_limit_usd", s.costLimits().dailyLimitUsd() == null ? "" : plain(s.costLimits().dailyLimitUsd()));
        values.put("settings.cost_limits.monthly_limit_usd", s.costLimits().monthlyLimitUsd() == null ? "" : plain(s.costLimits().monthlyLimitUsd()));
        AgentSettings.Escalation e = s.escalation();
        values.put("settings.escalation.enabled", String.valueOf(e.enabled()));
        values.put("settings.escalation.human_request_enabled", String.valueOf(e.humanRequestEnabled()));
        values.put("settings.escalation.human_request_phrases", String.join("\n", e.humanRequestPhrases()));
        values.put("settings.escalation.max_customer_messages_enabled", String.valueOf(e.maxCustomerMessagesEnabled()));
        values.put("settings.escalation.max_customer_messages", String.valueOf(e.maxCustomerMessages()));
        values.put("settings.escalation.negative_sentiment_enabled", String.valueOf(e.negativeSentimentEnabled()));
        values.put("settings.escalation.negative_sentiment_threshold", plain(e.negativeSentimentThreshold()));
        values.put("settings.escalation.max_tool_failures", String.valueOf(e.maxToolFailures()));
    }

    /** 0.7 rather than 0.7000000000000001 or 1.0E-4 in the input. */
    private static String plain(double number) {
        return java.math.BigDecimal.valueOf(number).stripTrailingZeros().toPlainString();
    }

    private static String text(Integer number) {
        return number == null ? "" : String.valueOf(number);
    }

    private static String first(Map<String, String[]> parameters, String name) {
        String[] given = parameters.get(name);
        return given == null || given.length == 0 || given[0] == null ? "" : given[0];
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    @SafeVarargs
    private static <T> List<T> concat(List<T>... lists) {
        List<T> all = new ArrayList<>();
        for (List<T> list : lists) {
            all.addAll(list);
        }
        return all;
    }
}
