package io.switchboard.automation;

import io.switchboard.ai.AiAgent;
import io.switchboard.ai.AiAgentDraft;
import io.switchboard.ai.AiAgents;
import io.switchboard.ai.IntentShortcut;
import io.switchboard.identity.Caller;
import io.switchboard.refusal.Refusal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.databind.json.JsonMapper;

/**
 * The administrators' automations page: rules (built from rows of conditions and actions), the run log, intents
 * and the per-agent AI branching switch, macros and shared canned responses.
 */
@Controller
@RequestMapping("/admin/automations")
class AutomationsPage {

    static final List<String> FIELDS = List.of("message_text", "intent", "channel", "department", "stage", "status", "priority",
            "tag", "business_hours", "contact.name", "contact.phone", "contact.email");
    static final List<String> OPERATORS = List.of("contains", "not_contains", "matches", "is", "is_not", "has", "has_not", "in",
            "out", "present");

    private final AutomationRules rules;
    private final RunLog runs;
    private final Intents intents;
    private final Macros macros;
    private final CannedResponses canned;
    private final AiAgents agents;
    private final JsonMapper json;

    AutomationsPage(AutomationRules rules, RunLog runs, Intents intents, Macros macros, CannedResponses canned, AiAgents agents,
                    JsonMapper json) {
        this.rules = rules;
        this.runs = runs;
        this.intents = intents;
        this.macros = macros;
        this.canned = canned;
        this.agents = agents;
        this.json = json;
    }

    /** A run as the log table shows it. */
    record RunRow(RunLog.Run run, List<String> done) {
    }

    /** An AI agent and whether intents answer before its LLM. */
    record AgentRow(AiAgent agent, boolean branching) {
    }

    @GetMapping
    String page(@AuthenticationPrincipal Caller caller, @RequestParam(name = "edit", required = false) UUID edit, Model model) {
        List<Rule> all = rules.list();
        model.addAttribute("rules", all);
        // the rule form edits an existing rule when asked (?edit=<id>), with a blank row to spare in each list
        Rule editing = edit == null ? null : all.stream().filter(r -> r.id().equals(edit)).findFirst().orElse(null);
        model.addAttribute("editing", editing);
        model.addAttribute("allRows", editing == null ? 2 : Math.max(2, editing.conditions().all().size()));
        model.addAttribute("anyRows", editing == null ? 2 : Math.max(2, editing.conditions().any().size()));
        model.addAttribute("actionRows", editing == null ? 2 : Math.max(2, editing.actions().size()));
        model.addAttribute("runs", runs.recent(null, false, 50).stream()
                .map(r -> new RunRow(r, Arrays.asList(json.readValue(r.actionsDone(), String[].class)))).toList());
        model.addAttribute("saved", runs.llmCallsSaved());
        model.addAttribute("intents", intents.list());
        model.addAttribute("macros", macros.list());
        model.addAttribute("canned", canned.available(caller.userId(), ""));
        model.addAttribute("agents", agents.list().stream().map(a -> new AgentRow(a, IntentShortcut.activeFor(a))).toList());
        model.addAttribute("events", AutomationEvent.values());
        model.addAttribute("actionTypes", ActionType.values());
        model.addAttribute("fields", FIELDS);
        model.addAttribute("operators", OPERATORS);
        return "automation/automations";
    }

    @PostMapping
    String createRule(@RequestParam String name, @RequestParam String event, @RequestParam(required = false) Integer minutes,
                      @RequestParam(name = "all_field", required = false) List<String> allFields,
                      @RequestParam(name = "all_operator", required = false) List<String> allOperators,
                      @RequestParam(name = "all_value", required = false) List<String> allValues,
                      @RequestParam(name = "any_field", required = false) List<String> anyFields,
                      @RequestParam(name = "any_operator", required = false) List<String> anyOperators,
                      @RequestParam(name = "any_value", required = false) List<String> anyValues,
                      @RequestParam(name = "action_type", required = false) List<String> actionTypes,
                      @RequestParam(name = "action_value", required = false) List<String> actionValues,
                      RedirectAttributes redirect) {
        return done(redirect, "automation.rule.created", name, () -> rules.create(new RuleDraft(name, null, event, minutes,
                new RuleConditions(conditions(allFields, allOperators, allValues), conditions(anyFields, anyOperators, anyValues)),
                actions(actionTypes, actionValues), true, null)));
    }

    @PostMapping("/{id}")
    String updateRule(@PathVariable UUID id, @RequestParam String name, @RequestParam String event,
                      @RequestParam(required = false) Integer minutes,
                      @RequestParam(name = "all_field", required = false) List<String> allFields,
                      @RequestParam(name = "all_operator", required = false) List<String> allOperators,
                      @RequestParam(name = "all_value", required = false) List<String> allValues,
                      @RequestParam(name = "any_field", required = false) List<String> anyFields,
                      @RequestParam(name = "any_operator", required = false) List<String> anyOperators,
                      @RequestParam(name = "any_value", required = false) List<String> anyValues,
                      @RequestParam(name = "action_type", required = false) List<String> actionTypes,
                      @RequestParam(name = "action_value", required = false) List<String> actionValues,
                      RedirectAttributes redirect) {
        return done(redirect, "automation.rule.updated", name, () -> rules.update(id, new RuleDraft(name, null, event, minutes,
                new RuleConditions(conditions(allFields, allOperators, allValues), conditions(anyFields, anyOperators, anyValues)),
                keepingTemplates(rules.get(id).actions(), actions(actionTypes, actionValues)), null, null)));
    }

    /**
     * The form has no place for a send_message's WhatsApp template (set through the API): an action still at its place
     * and of its type keeps the template it had.
     */
    static List<RuleAction> keepingTemplates(List<RuleAction> before, List<RuleAction> after) {
        List<RuleAction> out = new ArrayList<>();
        for (int i = 0; i < after.size(); i++) {
            RuleAction action = after.get(i);
            RuleAction old = i < before.size() ? before.get(i) : null;
            out.add(old != null && old.template() != null && old.type().equals(action.type())
                    ? new RuleAction(action.type(), action.value(), old.template()) : action);
        }
        return out;
    }

    @PostMapping("/{id}/enabled")
    String enable(@PathVariable UUID id, @RequestParam boolean enabled, RedirectAttributes redirect) {
        return done(redirect, enabled ? "automation.rule.enabled" : "automation.rule.disabled", rules.get(id).name(),
                () -> rules.update(id, new RuleDraft(null, null, null, null, null, null, enabled, null)));
    }

    @PostMapping("/{id}/delete")
    String deleteRule(@PathVariable UUID id, RedirectAttributes redirect) {
        return done(redirect, "automation.rule.deleted", rules.get(id).name(), () -> rules.delete(id));
    }

    @PostMapping("/intents")
    String createIntent(@RequestParam String name, @RequestParam(defaultValue = "") String keywords,
                        @RequestParam(defaultValue = "") String patterns, @RequestParam(defaultValue = "") String examples,
                        @RequestParam(required = false) Double threshold,
                        @RequestParam(name = "action_type", required = false) List<String> actionTypes,
                        @RequestParam(name = "action_value", required = false) List<String> actionValues,
                        RedirectAttributes redirect) {
        return done(redirect, "automation.intent.created", name, () -> intents.create(new IntentDraft(name,
                split(keywords, ","), split(patterns, "\n"), split(examples, "\n"), threshold, actions(actionTypes, actionValues), true)));
    }

    @PostMapping("/intents/{id}/delete")
    String deleteIntent(@PathVariable UUID id, RedirectAttributes redirect) {
        return done(redirect, "automation.intent.deleted", intents.get(id).name(), () -> intents.delete(id));
    }

    @PostMapping("/agents/{id}/branching")
    String branching(@PathVariable UUID id, @RequestParam boolean active, RedirectAttributes redirect) {
        AiAgent agent = agents.get(id);
        return done(redirect, active ? "automation.branching.on" : "automation.branching.off", agent.name(),
                () -> agents.update(id, new AiAgentDraft(null, null, null, null, null, null, null, null, null,
                        json.createObjectNode().put(IntentShortcut.SETTING, active), null)));
    }

    @PostMapping("/macros")
    String createMacro(@RequestParam String name, @RequestParam(name = "action_type", required = false) List<String> actionTypes,
                       @RequestParam(name = "action_value", required = false) List<String> actionValues, RedirectAttributes redirect) {
        return done(redirect, "automation.macro.created", name, () -> macros.create(name, actions(actionTypes, actionValues)));
    }

    @PostMapping("/macros/{id}/delete")
    String deleteMacro(@PathVariable UUID id, RedirectAttributes redirect) {
        return done(redirect, "automation.macro.deleted", macros.get(id).name(), () -> macros.delete(id));
    }

    @PostMapping("/canned")
    String createCanned(@AuthenticationPrincipal Caller caller, @RequestParam String shortcut, @RequestParam String content,
                        @RequestParam(defaultValue = "false") boolean personal, RedirectAttributes redirect) {
        return done(redirect, "automation.canned.created", "/" + shortcut.strip().replaceFirst("^/", ""),
                () -> canned.create(personal ? caller.userId() : null, shortcut, content));
    }

    @PostMapping("/canned/{id}/delete")
    String deleteCanned(@AuthenticationPrincipal Caller caller, @PathVariable UUID id, RedirectAttributes redirect) {
        return done(redirect, "automation.canned.deleted", "/" + canned.get(id).shortcut(),
                () -> canned.delete(id, caller.userId(), true));
    }

    /** Runs the change; a refusal is shown above the page with the service's own words. */
    private static String done(RedirectAttributes redirect, String notice, String argument, Runnable change) {
        try {
            change.run();
            redirect.addFlashAttribute("notice", notice);
            redirect.addFlashAttribute("noticeArg", argument);
        } catch (Refusal refused) {
            redirect.addFlashAttribute("formError", refused.getMessage());
        }
        return "redirect:/admin/automations";
    }

    /** The rows whose field was filled; the other rows of the form are left blank on purpose. */
    static List<RuleCondition> conditions(List<String> fields, List<String> operators, List<String> values) {
        List<RuleCondition> out = new ArrayList<>();
        for (int i = 0; fields != null && i < fields.size(); i++) {
            if (fields.get(i) != null && !fields.get(i).isBlank()) {
                out.add(new RuleCondition(fields.get(i), at(operators, i), at(values, i)));
            }
        }
        return out;
    }

    static List<RuleAction> actions(List<String> types, List<String> values) {
        List<RuleAction> out = new ArrayList<>();
        for (int i = 0; types != null && i < types.size(); i++) {
            if (types.get(i) != null && !types.get(i).isBlank()) {
                out.add(new RuleAction(types.get(i), at(values, i)));
            }
        }
        return out;
    }

    private static String at(List<String> list, int i) {
        return list == null || i >= list.size() ? null : list.get(i);
    }

    private static List<String> split(String text, String separator) {
        return Arrays.stream(text.split(separator)).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
