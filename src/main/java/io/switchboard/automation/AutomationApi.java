package io.switchboard.automation;

import io.swagger.v3.oas.annotations.Operation;
import io.switchboard.identity.Caller;
import io.switchboard.refusal.InvalidInput;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Automations over the API: rules ({@code /automations}) and their run log, intents, macros, canned responses and
 * activities. Administrators configure rules, intents and macros; agents use canned responses, run macros and work
 * on activities.
 */
@RestController
@RequestMapping("/api/v1")
class AutomationApi {

    /** A whole short list in the API's paged shape (these lists are small: no further page). */
    record Listed<T>(List<T> items, String nextCursor) {
        static <T> Listed<T> of(List<T> items) {
            return new Listed<>(items, null);
        }
    }

    record MacroBody(String name, List<RuleAction> actions) {
    }

    record RunMacroBody(UUID macroId) {
    }

    record CannedBody(String shortcut, String content, Boolean shared) {
    }

    record CannedView(UUID id, String shortcut, String content, boolean shared, String rendered) {
    }

    record ActivityBody(UUID contactId, UUID conversationId, String title, String description, Instant dueAt) {
    }

    record CompleteBody(Boolean done) {
    }

    private final AutomationRules rules;
    private final RunLog runs;
    private final Intents intents;
    private final Macros macros;
    private final CannedResponses canned;
    private final Activities activities;

    AutomationApi(AutomationRules rules, RunLog runs, Intents intents, Macros macros, CannedResponses canned, Activities activities) {
        this.rules = rules;
        this.runs = runs;
        this.intents = intents;
        this.macros = macros;
        this.canned = canned;
        this.activities = activities;
    }

    @GetMapping("/automations")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "The organization's automation rules in the order they run")
    Listed<Rule> list() {
        return Listed.of(rules.list());
    }

    @PostMapping("/automations")
    @PreAuthorize("hasRole('ADMIN')")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a rule: event, conditions {all: [...], any: [...]} of {field, operator, value}, actions [{type, value}]")
    Rule create(@RequestBody RuleDraft body) {
        return rules.create(required(body));
    }

    @GetMapping("/automations/{id}")
    @PreAuthorize("hasRole('ADMIN')")
    Rule get(@PathVariable UUID id) {
        return rules.get(id);
    }

    @PatchMapping("/automations/{id}")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "Change a rule; absent fields keep their value")
    Rule update(@PathVariable UUID id, @RequestBody RuleDraft body) {
        return rules.update(id, required(body));
    }

    @DeleteMapping("/automations/{id}")
    @PreAuthorize("hasRole('ADMIN')")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable UUID id) {
        rules.delete(id);
    }

    @GetMapping("/automation_runs")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "The run log, newest first: which rule or intent ran on which event, matched, actions done, error")
    Listed<RunLog.Run> runs(@RequestParam(name = "automation_id", required = false) UUID automationId,
                            @RequestParam(name = "matched_only", defaultValue = "false") boolean matchedOnly,
                            @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > 500) {
            throw new InvalidInput("limit must be between 1 and 500");
        }
        return Listed.of(runs.recent(automationId, matchedOnly, limit));
    }

    @GetMapping("/intents")
    @PreAuthorize("hasRole('ADMIN')")
    Listed<Intent> intents() {
        return Listed.of(intents.list());
    }

    @PostMapping("/intents")
    @PreAuthorize("hasRole('ADMIN')")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create an intent: keywords, patterns (regular expressions), examples, threshold (0-1), actions")
    Intent createIntent(@RequestBody IntentDraft body) {
        return intents.create(required(body));
    }

    @PatchMapping("/intents/{id}")
    @PreAuthorize("hasRole('ADMIN')")
    Intent updateIntent(@PathVariable UUID id, @RequestBody IntentDraft body) {
        return intents.update(id, required(body));
    }

    @DeleteMapping("/intents/{id}")
    @PreAuthorize("hasRole('ADMIN')")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void deleteIntent(@PathVariable UUID id) {
        intents.delete(id);
    }

    @PostMapping("/intents/match")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "Which intent a text would match (to try intents out), with how and the confidence")
    Intents.Match match(@RequestBody CannedBody body) {
        return intents.match(required(body).content()).orElse(null);
    }

    @GetMapping("/macros")
    @PreAuthorize("hasRole('AGENT')")
    Listed<Macro> macros() {
        return Listed.of(macros.list());
    }

    @PostMapping("/macros")
    @PreAuthorize("hasRole('ADMIN')")
    @ResponseStatus(HttpStatus.CREATED)
    Macro createMacro(@RequestBody MacroBody body) {
        return macros.create(required(body).name(), body.actions());
    }

    @DeleteMapping("/macros/{id}")
    @PreAuthorize("hasRole('ADMIN')")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void deleteMacro(@PathVariable UUID id) {
        macros.delete(id);
    }

    @PostMapping("/conversations/{id}/run_macro")
    @PreAuthorize("hasRole('AGENT')")
    @Operation(summary = "Run a macro's actions on the conversation as the calling person")
    Macros.Ran runMacro(@AuthenticationPrincipal Caller caller, @PathVariable UUID id, @RequestBody RunMacroBody body) {
        if (body == null || body.macroId() == null) {
            throw new InvalidInput("macro_id is required");
        }
        return macros.run(body.macroId(), id, caller.userId());
    }

    @GetMapping("/canned_responses")
    @PreAuthorize("hasRole('AGENT')")
    @Operation(summary = "Canned responses the caller may use (own and shared), by shortcut prefix; rendered for conversation_id")
    Listed<CannedView> canned(@AuthenticationPrincipal Caller caller, @RequestParam(name = "q", required = false) String prefix,
                              @RequestParam(name = "conversation_id", required = false) UUID conversationId) {
        return Listed.of(canned.available(caller.userId(), prefix).stream()
                .map(r -> new CannedView(r.id(), r.shortcut(), r.content(), r.shared(), canned.rendered(r, conversationId))).toList());
    }

    @PostMapping("/canned_responses")
    @PreAuthorize("hasRole('AGENT')")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a canned response: personal, or shared (administrators) with shared=true")
    CannedResponse createCanned(@AuthenticationPrincipal Caller caller, @RequestBody CannedBody body) {
        boolean shared = Boolean.TRUE.equals(required(body).shared());
        if (shared && !caller.admin()) {
            throw new InvalidInput("only administrators create shared canned responses");
        }
        return canned.create(shared ? null : caller.userId(), body.shortcut(), body.content());
    }

    @DeleteMapping("/canned_responses/{id}")
    @PreAuthorize("hasRole('AGENT')")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void deleteCanned(@AuthenticationPrincipal Caller caller, @PathVariable UUID id) {
        canned.delete(id, caller.userId(), caller.admin());
    }

    @GetMapping("/contacts/{id}/activities")
    @PreAuthorize("hasRole('AGENT')")
    Listed<Activity> activities(@PathVariable UUID id) {
        return Listed.of(activities.ofContact(id));
    }

    @PostMapping("/activities")
    @PreAuthorize("hasRole('AGENT')")
    @ResponseStatus(HttpStatus.CREATED)
    Activity createActivity(@AuthenticationPrincipal Caller caller, @RequestBody ActivityBody body) {
        if (required(body).contactId() == null) {
            throw new InvalidInput("contact_id is required");
        }
        return activities.create(body.contactId(), body.conversationId(), caller.userId(), body.title(), body.description(), body.dueAt());
    }

    @PostMapping("/activities/{id}/complete")
    @PreAuthorize("hasRole('AGENT')")
    @Operation(summary = "Mark the activity done (done=false opens it again)")
    Activity complete(@PathVariable UUID id, @RequestBody(required = false) CompleteBody body) {
        return activities.complete(id, body == null || body.done() == null || body.done());
    }

    private static <T> T required(T body) {
        if (body == null) {
            throw new InvalidInput("the body must be a JSON object");
        }
        return body;
    }
}
