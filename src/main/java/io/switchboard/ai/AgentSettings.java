package io.switchboard.ai;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * An AI agent's behaviour settings ({@code ai_agents.settings}), typed, with the defaults applied. The raw JSON
 * is kept ({@link #raw()}) so keys this version does not know survive a round trip through the API.
 *
 * @param responseDelayMin    shortest humanized delay before a reply is sent, seconds
 * @param responseDelayMax    longest humanized delay, seconds (never below the minimum)
 * @param contextTimerSeconds how long to wait for more customer messages before answering them together
 * @param welcomeMessage      sent when the agent gets a conversation without a customer message; null: none
 * @param historyLimit        how many recent messages go into the model's context
 * @param turnTimeoutSeconds  deadline of one LLM turn; past it the customer gets the fallback and a person
 * @param maxToolRounds       how many rounds of tool calls one turn may make before it must answer
 * @param preferTools         nudge the model to use its tools rather than answer from memory
 * @param faq                 questions answered without the LLM when a customer message matches
 * @param fallbackMessage     what the customer reads when the AI fails; null: the organization's default
 * @param escalation          when the AI hands the conversation to a person by itself
 * @param rateLimits          requests allowed per minute / hour / day; null: no limit
 * @param costLimits          spend allowed per day / month in USD; null: no limit
 */
public record AgentSettings(int responseDelayMin, int responseDelayMax, int contextTimerSeconds, String welcomeMessage,
                            int historyLimit, int turnTimeoutSeconds, int maxToolRounds, boolean preferTools,
                            List<FaqEntry> faq, String fallbackMessage, Escalation escalation, RateLimits rateLimits,
                            CostLimits costLimits, JsonNode raw) {

    public static final int DEFAULT_HISTORY_LIMIT = 20;
    public static final int DEFAULT_TURN_TIMEOUT_SECONDS = 120;
    public static final int DEFAULT_MAX_TOOL_ROUNDS = 5;

    /** A question the agent answers with a fixed text. */
    public record FaqEntry(String question, String answer) {
    }

    /**
     * Escalation triggers (SPEC §5). {@code enabled} switches them all; each has its own switch.
     *
     * @param humanRequestPhrases        phrases that mean "I want a person", besides the built-in ones
     * @param maxCustomerMessages        past this many customer messages the conversation goes to a person
     * @param negativeSentimentThreshold sentiment score (-1 … 1) at or below which the conversation escalates
     * @param maxToolFailures            failed tool calls in a conversation before it escalates
     */
    public record Escalation(boolean enabled, boolean humanRequestEnabled, List<String> humanRequestPhrases,
                             boolean maxCustomerMessagesEnabled, int maxCustomerMessages,
                             boolean negativeSentimentEnabled, double negativeSentimentThreshold, int maxToolFailures) {

        public static final Escalation DEFAULTS = new Escalation(true, true, List.of(), true, 20, true, -0.6, 3);
    }

    /** Requests to the LLM allowed per period; a null field has no limit. */
    public record RateLimits(Integer requestsPerMinute, Integer requestsPerHour, Integer requestsPerDay) {
    }

    /** Spend allowed per period in USD; a null field has no limit. */
    public record CostLimits(Double dailyLimitUsd, Double monthlyLimitUsd) {
    }

    /** The settings of an agent that configured nothing. */
    public static AgentSettings defaults() {
        return from(JsonNodeFactory.instance.objectNode());
    }

    /**
     * Reads settings from their JSON, applying defaults to absent (or null) keys.
     *
     * @throws IllegalArgumentException naming the offending field ({@code settings.x}) when a value has the
     *                                  wrong type or is out of range
     */
    public static AgentSettings from(JsonNode raw) {
        if (raw == null || raw.isNull() || raw.isMissingNode()) {
            raw = JsonNodeFactory.instance.objectNode();
        }
        if (!raw.isObject()) {
            throw new IllegalArgumentException("settings must be a JSON object");
        }
        Reader in = new Reader(raw, "settings");
        int delayMin = in.integer("response_delay_min", 0, 0, 3600);
        int delayMax = in.integer("response_delay_max", Math.max(delayMin, 0), 0, 3600);
        if (delayMin > delayMax) {
            throw new IllegalArgumentException("settings.response_delay_min (" + delayMin
                    + ") must not be greater than settings.response_delay_max (" + delayMax + ")");
        }
        return new AgentSettings(delayMin, delayMax,
                in.integer("context_timer_seconds", 0, 0, 3600),
                in.text("welcome_message"),
                in.integer("history_limit", DEFAULT_HISTORY_LIMIT, 1, 200),
                in.integer("turn_timeout_seconds", DEFAULT_TURN_TIMEOUT_SECONDS, 1, 900),
                in.integer("max_tool_rounds", DEFAULT_MAX_TOOL_ROUNDS, 0, 20),
                in.bool("prefer_tools", false),
                in.list("faq", entry -> {
                    Reader item = entry;
                    String question = item.text("question");
                    String answer = item.text("answer");
                    if (question == null || answer == null) {
                        throw new IllegalArgumentException(item.path + " needs both 'question' and 'answer'");
                    }
                    return new FaqEntry(question, answer);
                }),
                in.text("fallback_message"),
                escalation(in.object("escalation")),
                rateLimits(in.object("rate_limits")),
                costLimits(in.object("cost_limits")),
                raw.deepCopy());
    }

    private static Escalation escalation(Reader in) {
        Escalation d = Escalation.DEFAULTS;
        return new Escalation(in.bool("enabled", d.enabled()),
                in.bool("human_request_enabled", d.humanRequestEnabled()),
                in.list("human_request_phrases", phrase -> phrase.self("phrase")),
                in.bool("max_customer_messages_enabled", d.maxCustomerMessagesEnabled()),
                in.integer("max_customer_messages", d.maxCustomerMessages(), 1, 100_000),
                in.bool("negative_sentiment_enabled", d.negativeSentimentEnabled()),
                in.number("negative_sentiment_threshold", d.negativeSentimentThreshold(), -1, 1),
                in.integer("max_tool_failures", d.maxToolFailures(), 1, 100));
    }

    private static RateLimits rateLimits(Reader in) {
        return new RateLimits(in.optionalInteger("requests_per_minute"), in.optionalInteger("requests_per_hour"),
                in.optionalInteger("requests_per_day"));
    }

    private static CostLimits costLimits(Reader in) {
        return new CostLimits(in.optionalNumber("daily_limit_usd"), in.optionalNumber("monthly_limit_usd"));
    }

    /**
     * The settings as the API shows them: the raw JSON (unknown keys included) with every known key set to its
     * effective value, so a reader sees the defaults in force.
     */
    public ObjectNode toJson(JsonMapper json) {
        ObjectNode out = raw.isObject() ? (ObjectNode) raw.deepCopy() : json.createObjectNode();
        out.put("response_delay_min", responseDelayMin);
        out.put("response_delay_max", responseDelayMax);
        out.put("context_timer_seconds", contextTimerSeconds);
        out.put("welcome_message", welcomeMessage);
        out.put("history_limit", historyLimit);
        out.put("turn_timeout_seconds", turnTimeoutSeconds);
        out.put("max_tool_rounds", maxToolRounds);
        out.put("prefer_tools", preferTools);
        ArrayNode faqOut = out.putArray("faq");
        faq.forEach(entry -> faqOut.addObject().put("question", entry.question()).put("answer", entry.answer()));
        out.put("fallback_message", fallbackMessage);
        ObjectNode escalationOut = out.has("escalation") && out.get("escalation").isObject()
                ? (ObjectNode) out.get("escalation") : out.putObject("escalation");
        escalationOut.put("enabled", escalation.enabled());
        escalationOut.put("human_request_enabled", escalation.humanRequestEnabled());
        ArrayNode phrases = escalationOut.putArray("human_request_phrases");
        escalation.humanRequestPhrases().forEach(phrases::add);
        escalationOut.put("max_customer_messages_enabled", escalation.maxCustomerMessagesEnabled());
        escalationOut.put("max_customer_messages", escalation.maxCustomerMessages());
        escalationOut.put("negative_sentiment_enabled", escalation.negativeSentimentEnabled());
        escalationOut.put("negative_sentiment_threshold", escalation.negativeSentimentThreshold());
        escalationOut.put("max_tool_failures", escalation.maxToolFailures());
        ObjectNode rates = out.has("rate_limits") && out.get("rate_limits").isObject()
                ? (ObjectNode) out.get("rate_limits") : out.putObject("rate_limits");
        rates.put("requests_per_minute", rateLimits.requestsPerMinute());
        rates.put("requests_per_hour", rateLimits.requestsPerHour());
        rates.put("requests_per_day", rateLimits.requestsPerDay());
        ObjectNode costs = out.has("cost_limits") && out.get("cost_limits").isObject()
                ? (ObjectNode) out.get("cost_limits") : out.putObject("cost_limits");
        costs.put("daily_limit_usd", costLimits.dailyLimitUsd());
        costs.put("monthly_limit_usd", costLimits.monthlyLimitUsd());
        return out;
    }

    /** Reads typed values from one JSON object, naming the full path of a bad value in its error. */
    private record Reader(JsonNode node, String path) {

        private JsonNode value(String key) {
            JsonNode value = node.get(key);
            return value == null || value.isNull() ? null : value;
        }

        private String at(String key) {
            return path + "." + key;
        }

        int integer(String key, int fallback, int min, int max) {
            Integer value = optionalInteger(key);
            if (value == null) {
                return fallback;
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException(at(key) + " must be between " + min + " and " + max + " (was " + value + ")");
            }
            return value;
        }

        Integer optionalInteger(String key) {
            JsonNode value = value(key);
            if (value == null) {
                return null;
            }
            if (!value.isNumber() || !value.canConvertToExactIntegral() || !value.canConvertToInt()) {
                throw new IllegalArgumentException(at(key) + " must be a whole number (was " + value + ")");
            }
            if (value.asInt() < 0) {
                throw new IllegalArgumentException(at(key) + " must not be negative (was " + value + ")");
            }
            return value.asInt();
        }

        double number(String key, double fallback, double min, double max) {
            Double value = optionalNumberAnySign(key);
            if (value == null) {
                return fallback;
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException(at(key) + " must be between " + min + " and " + max + " (was " + value + ")");
            }
            return value;
        }

        Double optionalNumber(String key) {
            Double value = optionalNumberAnySign(key);
            if (value != null && value < 0) {
                throw new IllegalArgumentException(at(key) + " must not be negative (was " + value + ")");
            }
            return value;
        }

        private Double optionalNumberAnySign(String key) {
            JsonNode value = value(key);
            if (value == null) {
                return null;
            }
            if (!value.isNumber()) {
                throw new IllegalArgumentException(at(key) + " must be a number (was " + value + ")");
            }
            return value.doubleValue();
        }

        boolean bool(String key, boolean fallback) {
            JsonNode value = value(key);
            if (value == null) {
                return fallback;
            }
            if (!value.isBoolean()) {
                throw new IllegalArgumentException(at(key) + " must be true or false (was " + value + ")");
            }
            return value.booleanValue();
        }

        String text(String key) {
            JsonNode value = value(key);
            if (value == null) {
                return null;
            }
            if (!value.isString()) {
                throw new IllegalArgumentException(at(key) + " must be a string (was " + value + ")");
            }
            return value.asString().isBlank() ? null : value.asString();
        }

        /** This node itself as a non-blank string (for lists of strings). */
        String self(String what) {
            if (!node.isString() || node.asString().isBlank()) {
                throw new IllegalArgumentException(path + " must be a non-empty string " + what + " (was " + node + ")");
            }
            return node.asString();
        }

        Reader object(String key) {
            JsonNode value = value(key);
            if (value == null) {
                return new Reader(JsonNodeFactory.instance.objectNode(), at(key));
            }
            if (!value.isObject()) {
                throw new IllegalArgumentException(at(key) + " must be a JSON object (was " + value + ")");
            }
            return new Reader(value, at(key));
        }

        <T> List<T> list(String key, Function<Reader, T> item) {
            JsonNode value = value(key);
            if (value == null) {
                return List.of();
            }
            if (!value.isArray()) {
                throw new IllegalArgumentException(at(key) + " must be a JSON array (was " + value + ")");
            }
            List<T> items = new ArrayList<>();
            int index = 0;
            for (JsonNode element : value.values()) {
                items.add(item.apply(new Reader(element, at(key) + "[" + index++ + "]")));
            }
            return List.copyOf(items);
        }
    }
}
