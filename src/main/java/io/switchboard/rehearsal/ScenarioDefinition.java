package io.switchboard.rehearsal;

import io.switchboard.ai.Rehearsals;
import io.switchboard.refusal.InvalidInput;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * A scenario as written in its file (YAML or JSON) and stored: who the customer is, what they say turn by turn,
 * what the agent's tools answer (fixtures), and what must happen (expectations). Parsing refuses anything it does
 * not understand with a message that names the field, so a typo in a company's repository fails loudly.
 */
record ScenarioDefinition(String name, Rehearsals.Customer customer, List<List<String>> turns, List<Fixture> fixtures,
                          Expectations expect, SimulatedCustomer simulated) {

    /**
     * A customer played by the model instead of scripted turns: who they are, what they want, and at most how many
     * messages they write. Runs with one are non-deterministic, and reported as such.
     */
    record SimulatedCustomer(String persona, String goal, int maxTurns) {
        static final int MAX_TURNS = 10;
    }

    boolean nonDeterministic() {
        return simulated != null || !expect.judge().isEmpty();
    }

    /**
     * A canned tool result for calls of {@code tool} whose arguments match {@code arguments} (null: any call).
     * {@code followUp} {@code handoff} or {@code close} makes the call hand over or close, as such tools do.
     */
    record Fixture(String tool, JsonNode arguments, String result, boolean success, String followUp, String reason) {
    }

    /** A tool call that must happen ({@code called}) or must not, optionally with matching arguments. */
    record ToolExpectation(String tool, boolean called, JsonNode arguments) {
    }

    record OutcomeExpectation(Rehearsals.OutcomeKind kind, String reasonContains) {
    }

    /** {@code judge}: natural-language criteria a judge model checks (non-deterministic). */
    record Expectations(List<ToolExpectation> toolCalls, List<String> contains, List<String> notContains,
                        OutcomeExpectation outcome, Integer maxRounds, Long maxTokens, BigDecimal maxCostUsd, List<String> judge) {

        static final Expectations NONE = new Expectations(List.of(), List.of(), List.of(), null, null, null, null, List.of());
    }

    static ScenarioDefinition parse(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new InvalidInput("a scenario must be an object with name, turns, fixtures and expect");
        }
        known(node, "scenario", "name", "agent", "customer", "turns", "simulated_customer", "fixtures", "expect", "baseline");
        String name = text(node, "name");
        if (name == null || name.isBlank()) {
            throw new InvalidInput("name is required");
        }
        if (name.length() > 200) {
            throw new InvalidInput("name must have at most 200 characters");
        }
        JsonNode c = node.path("customer");
        Rehearsals.Customer customer = c.isObject()
                ? new Rehearsals.Customer(orDefault(text(c, "name"), Rehearsals.Customer.ANONYMOUS.name()), text(c, "phone"), text(c, "email"))
                : Rehearsals.Customer.ANONYMOUS;
        List<List<String>> turns = new ArrayList<>();
        JsonNode t = node.path("turns");
        SimulatedCustomer simulated = null;
        JsonNode sim = node.path("simulated_customer");
        if (!sim.isMissingNode() && !sim.isNull()) {
            known(sim, "simulated_customer", "persona", "goal", "max_turns");
            int maxTurns = sim.path("max_turns").asInt(5);
            if (maxTurns < 1 || maxTurns > SimulatedCustomer.MAX_TURNS) {
                throw new InvalidInput("simulated_customer.max_turns must be between 1 and " + SimulatedCustomer.MAX_TURNS);
            }
            simulated = new SimulatedCustomer(text(sim, "persona"), required(sim, "goal", "simulated_customer"), maxTurns);
        }
        if (simulated != null && (t.isMissingNode() || t.isNull())) {
            t = tools.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        } else if (!t.isArray() || t.isEmpty()) {
            throw new InvalidInput("turns: give at least one customer turn, e.g. turns: [\"where is my order 1234?\"]");
        }
        for (int i = 0; i < t.size(); i++) {
            JsonNode turn = t.get(i);
            JsonNode said = turn.isObject() ? turn.path("customer") : turn;
            List<String> messages = new ArrayList<>();
            if (said.isString()) {
                messages.add(said.asString());
            } else if (said.isArray()) {
                said.forEach(m -> messages.add(m.asString()));
            }
            if (messages.isEmpty() || messages.stream().anyMatch(m -> m == null || m.isBlank())) {
                throw new InvalidInput("turns[" + i + "]: a turn is a text or {customer: text or list of texts}");
            }
            turns.add(List.copyOf(messages));
        }
        List<Fixture> fixtures = new ArrayList<>();
        JsonNode f = node.path("fixtures");
        if (!f.isMissingNode() && !f.isNull() && !f.isArray()) {
            throw new InvalidInput("fixtures must be a list");
        }
        for (int i = 0; i < f.size(); i++) {
            JsonNode fixture = f.get(i);
            String path = "fixtures[" + i + "]";
            known(fixture, path, "tool", "arguments", "result", "success", "follow_up", "reason");
            String tool = required(fixture, "tool", path);
            JsonNode result = fixture.path("result");
            String followUp = text(fixture, "follow_up");
            if (followUp != null && !followUp.equals("handoff") && !followUp.equals("close")) {
                throw new InvalidInput(path + ".follow_up must be handoff or close (was '" + followUp + "')");
            }
            fixtures.add(new Fixture(tool, fixture.hasNonNull("arguments") ? fixture.get("arguments") : null,
                    result.isMissingNode() || result.isNull() ? "{}" : result.isString() ? result.asString() : result.toString(),
                    !fixture.has("success") || fixture.get("success").asBoolean(), followUp, text(fixture, "reason")));
        }
        return new ScenarioDefinition(name.trim(), customer, List.copyOf(turns), List.copyOf(fixtures), expectations(node.path("expect")),
                simulated);
    }

    private static Expectations expectations(JsonNode e) {
        if (e.isMissingNode() || e.isNull()) {
            return Expectations.NONE;
        }
        known(e, "expect", "tool_calls", "contains", "not_contains", "outcome", "max_rounds", "max_tokens", "max_cost_usd", "judge");
        List<ToolExpectation> tools = new ArrayList<>();
        JsonNode calls = e.path("tool_calls");
        for (int i = 0; i < calls.size(); i++) {
            JsonNode call = calls.get(i);
            String path = "expect.tool_calls[" + i + "]";
            known(call, path, "tool", "called", "arguments");
            tools.add(new ToolExpectation(required(call, "tool", path), !call.has("called") || call.get("called").asBoolean(),
                    call.hasNonNull("arguments") ? call.get("arguments") : null));
        }
        OutcomeExpectation outcome = null;
        JsonNode o = e.path("outcome");
        if (o.isString() || o.isObject()) {
            String kind = o.isString() ? o.asString() : text(o, "kind");
            Rehearsals.OutcomeKind parsed = null;
            for (Rehearsals.OutcomeKind k : Rehearsals.OutcomeKind.values()) {
                if (k.code().equals(kind == null ? "" : kind.trim().toLowerCase(Locale.ROOT))) {
                    parsed = k;
                }
            }
            if (parsed == null) {
                throw new InvalidInput("expect.outcome must be answered, handoff or closed (was '" + kind + "')");
            }
            outcome = new OutcomeExpectation(parsed, o.isObject() ? text(o, "reason_contains") : null);
        }
        return new Expectations(List.copyOf(tools), texts(e.path("contains"), "expect.contains"),
                texts(e.path("not_contains"), "expect.not_contains"), outcome,
                e.hasNonNull("max_rounds") ? e.get("max_rounds").asInt() : null,
                e.hasNonNull("max_tokens") ? e.get("max_tokens").asLong() : null,
                e.hasNonNull("max_cost_usd") ? new BigDecimal(e.get("max_cost_usd").asString()) : null,
                texts(e.path("judge"), "expect.judge"));
    }

    private static List<String> texts(JsonNode node, String path) {
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (node.isString()) {
            return List.of(node.asString());
        }
        if (!node.isArray()) {
            throw new InvalidInput(path + " must be a text or a list of texts");
        }
        List<String> texts = new ArrayList<>();
        node.forEach(n -> texts.add(n.asString()));
        return List.copyOf(texts);
    }

    private static void known(JsonNode node, String path, String... fields) {
        if (!node.isObject()) {
            throw new InvalidInput(path + " must be an object");
        }
        List<String> allowed = List.of(fields);
        for (String field : node.propertyNames()) {
            if (!allowed.contains(field)) {
                throw new InvalidInput(path + ": unknown field '" + field + "'; known: " + String.join(", ", allowed));
            }
        }
    }

    private static String required(JsonNode node, String field, String path) {
        String value = text(node, field);
        if (value == null || value.isBlank()) {
            throw new InvalidInput(path + "." + field + " is required");
        }
        return value.trim();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.isValueNode() ? value.asString() : value.toString();
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
