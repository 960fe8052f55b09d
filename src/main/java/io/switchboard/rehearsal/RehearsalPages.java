package io.switchboard.rehearsal;

import io.switchboard.ai.AiAgent;
import io.switchboard.ai.AiAgents;
import io.switchboard.ai.Rehearsals;
import io.switchboard.conversation.Inbox;
import io.switchboard.conversation.Message;
import io.switchboard.refusal.Conflict;
import io.switchboard.refusal.InvalidInput;
import io.switchboard.refusal.NotFound;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.MessageSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The admin pages of agent tests: an agent's scenarios, its recent conversations to replay in one click, suites
 * against a draft prompt with live progress and the side-by-side difference, and the playground (the security
 * chain limits /admin to administrators).
 */
@Controller
@RequestMapping("/admin/agent-tests")
class RehearsalPages {

    private final AiAgents agents;
    private final Scenarios scenarios;
    private final TestRuns runs;
    private final Playground playground;
    private final Rehearsals rehearsals;
    private final Inbox inbox;
    private final JsonMapper json;
    private final MessageSource messages;

    RehearsalPages(AiAgents agents, Scenarios scenarios, TestRuns runs, Playground playground, Rehearsals rehearsals,
                   Inbox inbox, JsonMapper json, MessageSource messages) {
        this.messages = messages;
        this.agents = agents;
        this.scenarios = scenarios;
        this.runs = runs;
        this.playground = playground;
        this.rehearsals = rehearsals;
        this.inbox = inbox;
        this.json = json;
    }

    /** A conversation the agent handled, with its first customer words to recognize it by. */
    record Replayable(UUID conversationId, String firstWords, java.time.Instant at, boolean escalated) {
    }

    @GetMapping
    String page(@RequestParam(required = false) UUID agent, Model model) {
        List<AiAgent> all = agents.list();
        model.addAttribute("agents", all);
        if (all.isEmpty()) {
            return "admin/agent-tests";
        }
        AiAgent chosen = agent == null ? all.get(0) : agents.get(agent);
        model.addAttribute("agent", chosen);
        model.addAttribute("scenarios", scenarios.list(chosen.id()));
        model.addAttribute("runs", runs.list(chosen.id(), 10));
        model.addAttribute("conversations", rehearsals.recentConversations(chosen.id(), 10).stream()
                .map(h -> new Replayable(h.conversationId(), inbox.recentHistory(h.conversationId(), 20).stream()
                        .filter(Message::fromCustomer).map(Message::content).findFirst().orElse(""), h.updatedAt(), h.escalated()))
                .toList());
        return "admin/agent-tests";
    }

    @PostMapping("/replay")
    String replay(@RequestParam UUID conversation, RedirectAttributes redirect) {
        try {
            Scenario scenario = scenarios.replay(conversation, null);
            redirect.addFlashAttribute("notice", "agentTests.replayed");
            redirect.addFlashAttribute("noticeArg", scenario.name());
            return "redirect:/admin/agent-tests?agent=" + scenario.aiAgentId();
        } catch (InvalidInput | NotFound e) {
            redirect.addFlashAttribute("problem", e.getMessage());
            return "redirect:/admin/agent-tests";
        }
    }

    @PostMapping("/run")
    String run(@RequestParam UUID agent, @RequestParam(required = false) UUID scenario,
               @RequestParam(required = false) String prompt, @RequestParam(defaultValue = "1") int repeat,
               @RequestParam(defaultValue = "false") boolean publish, RedirectAttributes redirect) {
        JsonNode draft = prompt == null || prompt.isBlank() ? null : json.valueToTree(Map.of("prompt", prompt));
        try {
            TestRuns.Run run = runs.start(agent, draft, scenario == null ? null : List.of(scenario), null, repeat, publish);
            return "redirect:/admin/agent-tests/runs/" + run.id();
        } catch (InvalidInput | NotFound e) {
            redirect.addFlashAttribute("problem", e.getMessage());
            return "redirect:/admin/agent-tests?agent=" + agent;
        }
    }

    @PostMapping("/import")
    String importFile(@RequestParam UUID agent, @RequestParam String file, @RequestParam(defaultValue = "false") boolean replace,
                      RedirectAttributes redirect) {
        try {
            int count = 0;
            for (JsonNode definition : ScenarioFiles.read(file, json)) {
                scenarios.save(agent, definition, definition.path("baseline").isObject() ? definition.get("baseline") : null, null, replace);
                count++;
            }
            redirect.addFlashAttribute("notice", "agentTests.imported");
            redirect.addFlashAttribute("noticeArg", count);
        } catch (InvalidInput | Conflict e) {
            redirect.addFlashAttribute("problem", e.getMessage());
        }
        return "redirect:/admin/agent-tests?agent=" + agent;
    }

    @GetMapping("/export")
    ResponseEntity<String> export(@RequestParam UUID agent) {
        String yaml = ScenarioFiles.yaml(scenarios.list(agent).stream().map(scenarios::exported).toList());
        return ResponseEntity.ok().contentType(new MediaType(RehearsalApi.YAML, StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"scenarios.yaml\"").body(yaml);
    }

    @PostMapping("/scenarios/{id}/delete")
    String delete(@PathVariable UUID id) {
        Scenario scenario = scenarios.get(id);
        scenarios.delete(id);
        return "redirect:/admin/agent-tests?agent=" + scenario.aiAgentId();
    }

    /** A check as the page words it: its kind names the message, its arguments and what happened are data. */
    record CheckView(String kind, List<String> args, boolean passed, List<String> actual, boolean nothing) {
    }

    /** One turn side by side: the original conversation (replays) and this run, with what differs marked. */
    record TurnRow(int index, List<String> customer, String originalAnswer, List<String> originalCalls, String answer,
                   List<String> calls, boolean answerDiffers, boolean callsDiffer, long tokens, BigDecimal cost) {
    }

    record AttemptView(int position, int attempt, String name, boolean passed, String error, List<CheckView> checks,
                       List<TurnRow> turns, boolean replay, boolean matchesBaseline, String originalOutcome, String outcome,
                       String outcomeReason, boolean outcomeDiffers, long tokens, BigDecimal cost, boolean nonDeterministic) {
    }

    @GetMapping("/runs/{id}")
    String run(@PathVariable UUID id, Model model, Locale locale) {
        runModel(id, model, locale);
        return "admin/agent-test-run";
    }

    /** The part of the run page that refreshes itself while the job runs. */
    @GetMapping("/runs/{id}/progress")
    String progress(@PathVariable UUID id, Model model, Locale locale) {
        runModel(id, model, locale);
        return "admin/agent-test-run :: progress";
    }

    @PostMapping("/runs/{id}/publish")
    String publish(@PathVariable UUID id, RedirectAttributes redirect) {
        try {
            runs.publish(id);
            redirect.addFlashAttribute("notice", "agentTests.published");
        } catch (Conflict | InvalidInput e) {
            redirect.addFlashAttribute("problem", e.getMessage());
        }
        return "redirect:/admin/agent-tests/runs/" + id;
    }

    private void runModel(UUID id, Model model, Locale locale) {
        TestRuns.Run run = runs.get(id);
        model.addAttribute("run", run);
        model.addAttribute("agent", agents.get(run.aiAgentId()));
        model.addAttribute("draftPrompt", run.draft() == null ? null : run.draft().path("prompt").asString(null));
        model.addAttribute("attempts", runs.attempts(id).stream().map(a -> view(a, locale)).toList());
    }

    private AttemptView view(TestRuns.Attempt attempt, Locale locale) {
        JsonNode report = attempt.report();
        List<CheckView> checks = new ArrayList<>();
        report.path("checks").forEach(c -> {
            List<String> args = new ArrayList<>();
            c.path("args").forEach(a -> args.add(a.asString()));
            List<String> actual = new ArrayList<>();
            c.path("actual").forEach(a -> actual.add(a.asString()));
            String kind = c.path("kind").asString();
            if ("outcome".equals(kind)) {
                // the outcome's code is worded by the page, its reason is data
                args.set(0, messages.getMessage("agentTests.outcome." + args.get(0), null, locale));
                args.set(1, args.get(1).isBlank() ? "" : " (" + args.get(1) + ")");
                actual.set(0, messages.getMessage("agentTests.outcome." + actual.get(0), null, locale));
                actual.set(1, actual.get(1).isBlank() ? "" : " (" + actual.get(1) + ")");
            }
            checks.add(new CheckView(kind, args, c.path("passed").asBoolean(), actual,
                    actual.isEmpty() || actual.get(0) == null || actual.get(0).isBlank()));
        });
        JsonNode baseline = report.path("baseline");
        boolean replay = baseline.isObject();
        List<TurnRow> rows = new ArrayList<>();
        JsonNode turns = report.path("turns");
        JsonNode original = baseline.path("turns");
        JsonNode differences = report.path("differences");
        for (int i = 0; i < Math.max(turns.size(), original.size()); i++) {
            JsonNode now = turns.path(i);
            JsonNode was = original.path(i);
            List<String> customer = new ArrayList<>();
            (now.has("customer") ? now : was).path("customer").forEach(m -> customer.add(m.asString()));
            List<String> calls = new ArrayList<>();
            now.path("tool_calls").forEach(c -> calls.add(c.path("tool").asString() + " " + c.path("arguments").asString()
                    + " → " + c.path("result").asString()));
            List<String> originalCalls = new ArrayList<>();
            was.path("tool_calls").forEach(c -> originalCalls.add(c.path("tool").asString() + " " + c.path("arguments").asString()));
            int turn = i;
            boolean answerDiffers = differences.valueStream().anyMatch(d -> d.path("turn").asInt() == turn && "answer".equals(d.path("field").asString()));
            boolean callsDiffer = differences.valueStream().anyMatch(d -> d.path("turn").asInt() == turn && "tool_calls".equals(d.path("field").asString()));
            rows.add(new TurnRow(i + 1, customer, was.path("answer").asString(null), originalCalls, now.path("answer").asString(null),
                    calls, answerDiffers, callsDiffer, now.path("tokens").asLong(0), now.hasNonNull("cost") ? now.get("cost").decimalValue() : null));
        }
        boolean outcomeDiffers = differences.valueStream().anyMatch(d -> "outcome".equals(d.path("field").asString()));
        return new AttemptView(attempt.position(), attempt.attempt(), attempt.name(), attempt.passed(),
                report.path("error").asString(null), checks, rows, replay, report.path("matches_baseline").asBoolean(false),
                baseline.path("outcome").path("kind").asString(null), report.path("outcome").path("kind").asString(null),
                report.path("outcome").path("reason").asString(null), outcomeDiffers, attempt.tokens(), attempt.costUsd(),
                report.path("non_deterministic").asBoolean(false));
    }

    // --- playground ---

    /** One playground turn as the page keeps it (in a hidden field, so nothing is stored until saved). */
    record PlayedTurn(String customer, String answer, List<Rehearsals.ToolCall> toolCalls, long tokens, BigDecimal cost,
                      String context, String outcome, String reason) {
    }

    @GetMapping("/playground")
    String playground(@RequestParam UUID agent, Model model) {
        return playgroundPage(agents.get(agent), null, null, List.of(), model);
    }

    @PostMapping("/playground")
    String say(@RequestParam UUID agent, @RequestParam(required = false) String prompt, @RequestParam(required = false) String fixtures,
               @RequestParam(defaultValue = "[]") String transcript, @RequestParam String message, Model model) {
        AiAgent chosen = agents.get(agent);
        List<PlayedTurn> turns = transcript(transcript);
        try {
            if (!message.isBlank()) {
                JsonNode draft = prompt == null || prompt.isBlank() ? null : json.valueToTree(Map.of("prompt", prompt));
                List<Rehearsals.Exchange> earlier = turns.stream().map(t -> new Rehearsals.Exchange(t.customer(), t.answer())).toList();
                Rehearsals.TurnResult result = playground.say(agent, draft, earlier, message.strip(), ScenarioFiles.data(fixtures, json));
                turns = new ArrayList<>(turns);
                turns.add(new PlayedTurn(message.strip(), result.answer(), result.toolCalls(), result.tokens(), result.cost(),
                        result.context(), result.outcome().kind().code(), result.outcome().reason()));
            }
        } catch (InvalidInput e) {
            model.addAttribute("problem", e.getMessage());
        }
        return playgroundPage(chosen, prompt, fixtures, turns, model);
    }

    @PostMapping("/playground/save")
    String save(@RequestParam UUID agent, @RequestParam String name, @RequestParam(required = false) String fixtures,
                @RequestParam(required = false) String prompt, @RequestParam(defaultValue = "[]") String transcript,
                Model model, RedirectAttributes redirect) {
        List<PlayedTurn> turns = transcript(transcript);
        try {
            if (turns.isEmpty()) {
                throw new InvalidInput("say something to the agent first");
            }
            JsonNode definition = playground.asScenario(name, turns.stream().map(PlayedTurn::customer).toList(),
                    ScenarioFiles.data(fixtures, json), turns.stream().flatMap(t -> t.toolCalls().stream()).toList(),
                    turns.get(turns.size() - 1).outcome());
            Scenario saved = scenarios.save(agent, definition, null, null, false);
            redirect.addFlashAttribute("notice", "agentTests.saved");
            redirect.addFlashAttribute("noticeArg", saved.name());
            return "redirect:/admin/agent-tests?agent=" + agent;
        } catch (InvalidInput | Conflict e) {
            model.addAttribute("problem", e.getMessage());
            return playgroundPage(agents.get(agent), prompt, fixtures, turns, model);
        }
    }

    private String playgroundPage(AiAgent agent, String prompt, String fixtures, List<PlayedTurn> turns, Model model) {
        model.addAttribute("agent", agent);
        model.addAttribute("prompt", prompt == null ? agent.prompt() : prompt);
        model.addAttribute("fixtures", fixtures == null ? "" : fixtures);
        model.addAttribute("turns", turns);
        model.addAttribute("transcript", json.writeValueAsString(turns));
        long tokens = turns.stream().mapToLong(PlayedTurn::tokens).sum();
        BigDecimal cost = turns.stream().map(PlayedTurn::cost).reduce(BigDecimal.ZERO, (a, b) -> a == null || b == null ? null : a.add(b));
        model.addAttribute("totalTokens", tokens);
        model.addAttribute("totalCost", cost);
        return "admin/agent-playground";
    }

    private List<PlayedTurn> transcript(String text) {
        try {
            return List.of(json.readValue(text, PlayedTurn[].class));
        } catch (RuntimeException e) {
            throw new InvalidInput("the playground's transcript could not be read; start again");
        }
    }

}
