package io.switchboard.web;

import io.switchboard.ai.AgentTool;
import io.switchboard.ai.AiAgent;
import io.switchboard.ai.AiAgentDraft;
import io.switchboard.ai.AiAgents;
import io.switchboard.ai.tools.ToolRegistry;
import io.switchboard.identity.Caller;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.MessageSource;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import io.switchboard.refusal.Conflict;
import io.switchboard.refusal.InvalidInput;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Administrators configure AI agents: prompt, model, behaviour settings, FAQ and tools (the security chain limits /admin to ADMIN). */
@Controller
@RequestMapping("/admin/ai-agents")
class AdminAiAgentsController {

    private final AiAgents agents;
    private final ToolRegistry registry;
    private final MessageSource messages;

    AdminAiAgentsController(AiAgents agents, ToolRegistry registry, MessageSource messages) {
        this.agents = agents;
        this.registry = registry;
        this.messages = messages;
    }

    /** A line of the list: the tools counted are the ones the agent has switched on. */
    record Row(UUID id, String name, String agentType, String model, boolean enabled, long tools) {
    }

    @GetMapping
    String list(Model model) {
        model.addAttribute("agents", agents.list().stream().map(a -> new Row(a.id(), a.name(), a.agentType(), a.model(),
                a.enabled(), a.tools().stream().filter(AgentTool::enabled).count())).toList());
        return "admin/ai-agents";
    }

    @GetMapping("/new")
    String newAgent(@AuthenticationPrincipal Caller caller, Model model) {
        return form(caller, model, null, AiAgentForm.blank(), Map.of());
    }

    @PostMapping
    String create(@AuthenticationPrincipal Caller caller, HttpServletRequest request, HttpServletResponse response,
                  Locale locale, Model model, RedirectAttributes redirect) {
        AiAgentForm form = AiAgentForm.from(request.getParameterMap());
        Map<String, String> errors = new LinkedHashMap<>();
        Optional<AiAgentDraft> draft = form.toDraft(List.of(), errors);
        if (draft.isPresent()) {
            try {
                AiAgent created = agents.create(caller.organizationId(), draft.get());
                return saved(redirect, "admin.agents.created", created);
            } catch (InvalidInput e) {
                refused(e, errors);
            }
        }
        response.setStatus(422);
        return form(caller, model, null, form, localized(errors, locale));
    }

    @GetMapping("/{id}")
    String edit(@AuthenticationPrincipal Caller caller, @PathVariable UUID id, Model model) {
        AiAgent agent = agents.get(id);
        return form(caller, model, agent, AiAgentForm.of(agent), Map.of());
    }

    @PostMapping("/{id}")
    String update(@AuthenticationPrincipal Caller caller, @PathVariable UUID id, HttpServletRequest request,
                  HttpServletResponse response, Locale locale, Model model, RedirectAttributes redirect) {
        AiAgent agent = agents.get(id);
        AiAgentForm form = AiAgentForm.from(request.getParameterMap());
        Map<String, String> errors = new LinkedHashMap<>();
        Optional<AiAgentDraft> draft = form.toDraft(agent.tools(), errors);
        if (draft.isPresent()) {
            try {
                return saved(redirect, "admin.agents.updated", agents.update(id, draft.get()));
            } catch (InvalidInput e) {
                refused(e, errors);
            }
        }
        response.setStatus(422);
        return form(caller, model, agent, form, localized(errors, locale));
    }

    /** Only an agent that never handled a conversation can go; the service says why otherwise. */
    @PostMapping("/{id}/delete")
    String delete(@PathVariable UUID id, RedirectAttributes redirect) {
        AiAgent agent = agents.get(id);
        try {
            agents.delete(id);
            redirect.addFlashAttribute("notice", "admin.agents.deleted");
            redirect.addFlashAttribute("noticeArg", agent.name());
            return "redirect:/admin/ai-agents";
        } catch (Conflict e) {
            redirect.addFlashAttribute("actionError", "error.agent.hasHistory");
            return "redirect:/admin/ai-agents/" + id;
        }
    }

    private String saved(RedirectAttributes redirect, String notice, AiAgent agent) {
        redirect.addFlashAttribute("notice", notice);
        redirect.addFlashAttribute("noticeArg", agent.name());
        return "redirect:/admin/ai-agents";
    }

    /** A 400 names its field; it is shown next to that input, anything else above the form. */
    private static void refused(InvalidInput e, Map<String, String> errors) {
        String message = e.getMessage();
        String field = message != null && message.startsWith("unknown tool") ? "tools"
                : FieldErrors.fieldNamedIn(message, fieldNames()).orElse("form");
        errors.put(field, "!" + message);
    }

    private static List<String> fieldNames() {
        List<String> names = new ArrayList<>(List.of("name", "description", "agent_type", "prompt", "model",
                "temperature", "max_tokens", "max_conversations", "enabled", "tools", "settings.faq",
                "settings.welcome_message", "settings.fallback_message", "settings.escalation.human_request_phrases"));
        AiAgentForm.SWITCHES.forEach(names::add);
        for (List<AiAgentForm.NumberField> group : List.of(AiAgentForm.TIMING, AiAgentForm.LIMITS, AiAgentForm.ESCALATION_NUMBERS)) {
            group.forEach(f -> names.add(f.name()));
        }
        return names;
    }

    /** Our own checks give message keys; the service's messages (marked with a leading !) are shown as they are. */
    private Map<String, String> localized(Map<String, String> errors, Locale locale) {
        Map<String, String> shown = new LinkedHashMap<>();
        errors.forEach((field, error) -> shown.put(field, error.startsWith("!") ? error.substring(1)
                : messages.getMessage(error, null, error, locale)));
        return shown;
    }

    private String form(Caller caller, Model model, AiAgent agent, AiAgentForm form, Map<String, String> errors) {
        model.addAttribute("agent", agent);
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute("agentTypes", AiAgentForm.AGENT_TYPES);
        model.addAttribute("timingFields", AiAgentForm.TIMING);
        model.addAttribute("limitFields", AiAgentForm.LIMITS);
        model.addAttribute("escalationFields", AiAgentForm.ESCALATION_NUMBERS);
        model.addAttribute("tools", registry.organizationTools(caller.organizationId()));
        return "admin/ai-agent";
    }
}
