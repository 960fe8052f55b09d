package io.switchboard.rehearsal;

import io.switchboard.ai.AiAgent;
import io.switchboard.ai.Rehearsals;
import io.switchboard.ai.tools.ToolResult;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs one scenario against one agent configuration: the rehearsal with the scenario's fixtures, then its
 * expectations checked, then — for a replay — the difference to the original conversation, turn by turn.
 */
@Component
class ScenarioRunner {

    private final Rehearsals rehearsals;
    private final JsonMapper json;

    ScenarioRunner(Rehearsals rehearsals, JsonMapper json) {
        this.rehearsals = rehearsals;
        this.json = json;
    }

    /** A tool call for the report and the diff. */
    record Call(String tool, String arguments, String result, boolean success, boolean fixtured) {
    }

    record TurnReport(List<String> customer, String answer, List<Call> toolCalls, int rounds, long tokens, BigDecimal cost,
                      long durationMs) {
    }

    /** One way the run differs from the original conversation ({@code field}: answer, tool_calls or outcome). */
    record Difference(int turn, String field, String original, String now) {
    }

    /**
     * What a run of a scenario came to. {@code cost} null: unknown (a model without a price); {@code baseline}
     * null: not a replay; then {@code matchesBaseline} is null too. {@code nonDeterministic}: a simulated customer
     * wrote (some of) the turns, so two runs may differ even with nothing changed.
     */
    record Report(boolean passed, Rehearsals.Outcome outcome, List<TurnReport> turns, List<Check> checks, long tokens,
                  BigDecimal cost, long durationMs, JsonNode baseline, Boolean matchesBaseline, List<Difference> differences,
                  boolean nonDeterministic) {
    }

    Report run(AiAgent agent, ScenarioDefinition scenario, JsonNode baseline) {
        Rehearsals.Fixtures fixtures = (tool, arguments) -> fixture(scenario, tool, arguments);
        Rehearsals.Result result = scenario.simulated() == null
                ? rehearsals.rehearse(new Rehearsals.Rehearsal(agent, scenario.customer(), List.of(), scenario.turns(), fixtures))
                : simulated(agent, scenario, fixtures);
        List<TurnReport> turns = result.turns().stream().map(t -> new TurnReport(t.customer(), t.answer(),
                t.toolCalls().stream().map(c -> new Call(c.tool(), c.arguments(), c.result(), c.success(), c.fixtured())).toList(),
                t.rounds(), t.tokens(), t.cost(), t.durationMs())).toList();
        List<Check> checks = checks(scenario.expect(), result, turns);
        for (String criterion : scenario.expect().judge()) {
            var verdict = rehearsals.judge(agent, criterion, result.turns().stream()
                    .map(t -> new Rehearsals.Exchange(String.join("\n", t.customer()), t.answer())).toList());
            checks.add(new Check(Check.Kind.JUDGE, List.of(criterion), verdict.map(Rehearsals.Verdict::holds).orElse(false),
                    verdict.map(v -> List.of(v.explanation())).orElse(List.of())));
        }
        List<Difference> differences = baseline == null ? List.of() : differences(baseline, turns, result.outcome());
        long duration = turns.stream().mapToLong(TurnReport::durationMs).sum();
        return new Report(checks.stream().allMatch(Check::passed), result.outcome(), turns, checks, result.tokens(), result.cost(),
                duration, baseline, baseline == null ? null : differences.isEmpty(), differences, scenario.nonDeterministic());
    }

    /** The scripted turns first (if any), then the simulated customer writes until it stops, hands over or runs out. */
    private Rehearsals.Result simulated(AiAgent agent, ScenarioDefinition scenario, Rehearsals.Fixtures fixtures) {
        List<Rehearsals.TurnResult> turns = new ArrayList<>();
        List<Rehearsals.Exchange> soFar = new ArrayList<>();
        Rehearsals.Outcome outcome = Rehearsals.Outcome.ANSWERED;
        List<List<String>> scripted = new ArrayList<>(scenario.turns());
        for (int i = 0; i < scripted.size() + scenario.simulated().maxTurns(); i++) {
            List<String> said;
            if (i < scripted.size()) {
                said = scripted.get(i);
            } else {
                var next = rehearsals.simulatedCustomer(agent, scenario.simulated().persona(), scenario.simulated().goal(), soFar);
                if (next.isEmpty()) {
                    break;
                }
                said = List.of(next.get());
            }
            Rehearsals.Result one = rehearsals.rehearse(new Rehearsals.Rehearsal(agent, scenario.customer(), List.copyOf(soFar),
                    List.of(said), fixtures));
            Rehearsals.TurnResult turn = one.turns().get(0);
            turns.add(turn);
            soFar.add(new Rehearsals.Exchange(String.join("\n", said), turn.answer()));
            outcome = one.outcome();
            if (outcome.kind() != Rehearsals.OutcomeKind.ANSWERED) {
                break;
            }
        }
        return new Rehearsals.Result(List.copyOf(turns), outcome);
    }

    /** The first fixture of the tool whose arguments match; a fixture without arguments fits any call. */
    Optional<ToolResult> fixture(ScenarioDefinition scenario, String tool, JsonNode arguments) {
        return scenario.fixtures().stream().filter(f -> f.tool().equals(tool) && f.arguments() != null && ArgumentMatch.matches(f.arguments(), arguments))
                .findFirst()
                .or(() -> scenario.fixtures().stream().filter(f -> f.tool().equals(tool) && f.arguments() == null).findFirst())
                .map(f -> switch (f.followUp() == null ? "" : f.followUp()) {
                    case "handoff" -> ToolResult.escalate(f.result(), f.reason() == null ? "requested by the AI" : f.reason());
                    case "close" -> ToolResult.closeAfterReply(f.result(), f.reason());
                    default -> f.success() ? ToolResult.ok(f.result()) : ToolResult.failed(f.result());
                });
    }

    private List<Check> checks(ScenarioDefinition.Expectations expect, Rehearsals.Result result, List<TurnReport> turns) {
        List<Check> checks = new ArrayList<>();
        List<Call> calls = turns.stream().flatMap(t -> t.toolCalls().stream()).toList();
        List<String> madeCalls = List.of(calls.stream().map(c -> c.tool() + " " + c.arguments()).collect(Collectors.joining(", ")));
        for (ScenarioDefinition.ToolExpectation e : expect.toolCalls()) {
            boolean made = calls.stream().anyMatch(c -> c.tool().equals(e.tool()) && ArgumentMatch.matches(e.arguments(), parse(c.arguments())));
            String args = e.arguments() == null ? "{}" : e.arguments().toString();
            checks.add(new Check(e.called() ? Check.Kind.TOOL_CALLED : Check.Kind.TOOL_NOT_CALLED, List.of(e.tool(), args),
                    made == e.called(), madeCalls));
        }
        String answers = turns.stream().map(TurnReport::answer).filter(a -> a != null).collect(Collectors.joining("\n"));
        String lower = answers.toLowerCase(Locale.ROOT);
        for (String text : expect.contains()) {
            checks.add(new Check(Check.Kind.CONTAINS, List.of(text), lower.contains(text.toLowerCase(Locale.ROOT)), List.of(answers)));
        }
        for (String text : expect.notContains()) {
            checks.add(new Check(Check.Kind.NOT_CONTAINS, List.of(text), !lower.contains(text.toLowerCase(Locale.ROOT)), List.of(answers)));
        }
        if (expect.outcome() != null) {
            var o = expect.outcome();
            Rehearsals.Outcome actual = result.outcome();
            boolean held = actual.kind() == o.kind() && (o.reasonContains() == null
                    || (actual.reason() != null && actual.reason().toLowerCase(Locale.ROOT).contains(o.reasonContains().toLowerCase(Locale.ROOT))));
            checks.add(new Check(Check.Kind.OUTCOME, List.of(o.kind().code(), o.reasonContains() == null ? "" : o.reasonContains()),
                    held, List.of(actual.kind().code(), actual.reason() == null ? "" : actual.reason())));
        }
        if (expect.maxRounds() != null) {
            checks.add(new Check(Check.Kind.MAX_ROUNDS, List.of(expect.maxRounds().toString()), result.rounds() <= expect.maxRounds(),
                    List.of(Integer.toString(result.rounds()))));
        }
        if (expect.maxTokens() != null) {
            checks.add(new Check(Check.Kind.MAX_TOKENS, List.of(expect.maxTokens().toString()), result.tokens() <= expect.maxTokens(),
                    List.of(Long.toString(result.tokens()))));
        }
        if (expect.maxCostUsd() != null) {
            BigDecimal cost = result.cost();
            checks.add(new Check(Check.Kind.MAX_COST, List.of(expect.maxCostUsd().toPlainString()),
                    cost != null && cost.compareTo(expect.maxCostUsd()) <= 0,
                    List.of(cost == null ? "" : cost.stripTrailingZeros().toPlainString())));
        }
        List<Call> unfixtured = calls.stream().filter(c -> !c.fixtured()).toList();
        if (!unfixtured.isEmpty()) {
            checks.add(new Check(Check.Kind.FIXTURES, List.of(), false,
                    List.of(unfixtured.stream().map(c -> c.tool() + " " + c.arguments()).collect(Collectors.joining(", ")))));
        }
        return checks;
    }

    private List<Difference> differences(JsonNode baseline, List<TurnReport> turns, Rehearsals.Outcome outcome) {
        List<Difference> differences = new ArrayList<>();
        JsonNode original = baseline.path("turns");
        for (int i = 0; i < Math.max(original.size(), turns.size()); i++) {
            JsonNode was = original.path(i);
            TurnReport now = i < turns.size() ? turns.get(i) : null;
            String wasAnswer = was.path("answer").isString() ? was.path("answer").asString().strip() : null;
            String nowAnswer = now == null || now.answer() == null ? null : now.answer().strip();
            if (!java.util.Objects.equals(wasAnswer, nowAnswer)) {
                differences.add(new Difference(i, "answer", wasAnswer, nowAnswer));
            }
            List<JsonNode> wasCalls = new ArrayList<>();
            was.path("tool_calls").forEach(c -> wasCalls.add(callKey(c.path("tool").asString(), c.path("arguments").asString("{}"))));
            List<JsonNode> nowCalls = now == null ? List.of() : now.toolCalls().stream().map(c -> callKey(c.tool(), c.arguments())).toList();
            if (!wasCalls.equals(nowCalls)) {
                differences.add(new Difference(i, "tool_calls", describe(wasCalls), describe(nowCalls)));
            }
        }
        String wasOutcome = baseline.path("outcome").path("kind").asString("answered");
        if (!wasOutcome.equals(outcome.kind().code())) {
            differences.add(new Difference(-1, "outcome", wasOutcome + reason(baseline.path("outcome").path("reason").asString(null)),
                    outcome.kind().code() + reason(outcome.reason())));
        }
        return differences;
    }

    private JsonNode callKey(String tool, String arguments) {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("tool", tool);
        key.put("arguments", parse(arguments));
        return json.valueToTree(key);
    }

    private static String describe(List<JsonNode> calls) {
        return calls.isEmpty() ? "" : calls.stream().map(c -> c.path("tool").asString() + " " + c.path("arguments"))
                .collect(Collectors.joining("; "));
    }

    private static String reason(String reason) {
        return reason == null || reason.isBlank() ? "" : " (" + reason + ")";
    }

    private JsonNode parse(String arguments) {
        try {
            return json.readTree(arguments == null || arguments.isBlank() ? "{}" : arguments);
        } catch (RuntimeException e) {
            return json.getNodeFactory().stringNode(arguments);
        }
    }
}
