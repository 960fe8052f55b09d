package io.switchboard.web;

import io.switchboard.ai.AiAgent;
import io.switchboard.ai.AiAgents;
import io.switchboard.channel.ChannelAccount;
import io.switchboard.channel.ChannelAccounts;
import io.switchboard.channel.ChannelType;
import io.switchboard.channel.WebhookUrls;
import io.switchboard.conversation.QueueTab;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import io.switchboard.refusal.InvalidInput;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Administrators connect channels: a WhatsApp number, the web chat, an API integration. Secrets are write-only
 * here as in the API, and the account page shows the URLs to paste into the provider.
 */
@Controller
@RequestMapping("/admin/channels")
class AdminChannelsController {

    private final ChannelAccounts accounts;
    private final AiAgents agents;
    private final WebhookUrls webhookUrls;
    private final MessageSource messages;
    private final io.switchboard.channel.EvolutionConnections evolution;

    AdminChannelsController(ChannelAccounts accounts, AiAgents agents, WebhookUrls webhookUrls, MessageSource messages,
                            io.switchboard.channel.EvolutionConnections evolution) {
        this.evolution = evolution;
        this.accounts = accounts;
        this.agents = agents;
        this.webhookUrls = webhookUrls;
        this.messages = messages;
    }

    record Row(UUID id, String name, String type, boolean enabled, String defaultAiAgent, QueueTab queueTab) {
    }

    @GetMapping
    String list(Model model) {
        Map<UUID, String> agentNames = agents.list().stream().collect(Collectors.toMap(AiAgent::id, AiAgent::name));
        model.addAttribute("accounts", accounts.list().stream().map(a -> new Row(a.id(), a.name(), a.type().code(),
                a.enabled(), a.defaultAiAgentId() == null ? null : agentNames.get(a.defaultAiAgentId()), a.queueTab())).toList());
        model.addAttribute("types", ChannelType.values());
        return "admin/channels";
    }

    @GetMapping("/new")
    String newAccount(@RequestParam(required = false) String type, Model model) {
        ChannelType channelType = type(type);
        if (channelType == null) {
            return "redirect:/admin/channels";
        }
        return form(model, null, ChannelAccountForm.blank(channelType), Map.of(), null);
    }

    @PostMapping
    String create(@RequestParam(required = false) String type, HttpServletRequest request, HttpServletResponse response,
                  Locale locale, Model model, RedirectAttributes redirect) {
        ChannelType channelType = type(type);
        if (channelType == null) {
            return "redirect:/admin/channels";
        }
        ChannelAccountForm form = ChannelAccountForm.from(channelType, request.getParameterMap());
        Map<String, String> errors = check(form, locale);
        if (errors.isEmpty()) {
            try {
                ChannelAccount created = accounts.create(new ChannelAccounts.Draft(channelType, form.name(), form.settings(),
                        uuid(form.defaultAiAgentId()), queueTab(form.queueTab()), form.reopenClosed(),
                        minutes(form.inactivityCloseMinutes()), form.enabled()));
                // straight to the account page: its webhook URL is the next thing the administrator needs
                return saved(redirect, "admin.channels.created", created);
            } catch (InvalidInput e) {
                refused(e, channelType, errors);
            }
        }
        response.setStatus(422);
        return form(model, null, form, errors, null);
    }

    @GetMapping("/{id}")
    String edit(@PathVariable UUID id, HttpServletRequest request, Model model) {
        ChannelAccount account = accounts.find(id);
        return form(model, account, ChannelAccountForm.of(account), Map.of(), request);
    }

    @PostMapping("/{id}")
    String update(@PathVariable UUID id, HttpServletRequest request, HttpServletResponse response, Locale locale,
                  Model model, RedirectAttributes redirect) {
        ChannelAccount account = accounts.find(id);
        ChannelAccountForm form = ChannelAccountForm.from(account.type(), request.getParameterMap());
        Map<String, String> errors = check(form, locale);
        if (errors.isEmpty()) {
            try {
                ChannelAccount saved = accounts.update(id, new ChannelAccounts.Draft(null, form.name(), form.settings(),
                        uuid(form.defaultAiAgentId()), queueTab(form.queueTab()), form.reopenClosed(),
                        minutes(form.inactivityCloseMinutes()), form.enabled()));
                return saved(redirect, "admin.channels.updated", saved);
            } catch (InvalidInput e) {
                refused(e, account.type(), errors);
            }
        }
        response.setStatus(422);
        return form(model, account, form, errors, request);
    }

    private String saved(RedirectAttributes redirect, String notice, ChannelAccount account) {
        redirect.addFlashAttribute("notice", notice);
        redirect.addFlashAttribute("noticeArg", account.name());
        return "redirect:/admin/channels/" + account.id();
    }

    /** What the service would refuse with a less precise message, checked here so each gets its own field. */
    private Map<String, String> check(ChannelAccountForm form, Locale locale) {
        Map<String, String> errors = new LinkedHashMap<>();
        if (form.name().isBlank() || form.name().length() > 200) {
            errors.put("name", messages.getMessage("error.channel.name", null, locale));
        }
        String minutes = form.inactivityCloseMinutes();
        if (!minutes.isBlank() && (!minutes.matches("\\d{1,6}") || Integer.parseInt(minutes) < 1)) {
            errors.put("inactivity_close_minutes", messages.getMessage("error.channel.minutes", null, locale));
        }
        if (!form.defaultAiAgentId().isBlank() && uuid(form.defaultAiAgentId()) == null) {
            errors.put("default_ai_agent_id", messages.getMessage("error.channel.agent", null, locale));
        }
        return errors;
    }

    /** A message listing what a config lacks (config of a twilio account lacks from, auth_token) marks each input named; others go on top. */
    private static void refused(InvalidInput e, ChannelType type, Map<String, String> errors) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        int lacks = message.indexOf(" lacks ");
        if (lacks >= 0) {
            for (String key : message.substring(lacks + " lacks ".length()).split(",\\s*")) {
                String input = (type.secretKeys().contains(key) ? "secret." : "config.") + key.strip();
                errors.put(input, message);
            }
            return;
        }
        List<String> fields = new ArrayList<>(List.of("name", "default_ai_agent_id", "queue_tab", "inactivity_close_minutes"));
        errors.put(FieldErrors.fieldNamedIn(message, fields).orElse("form"), message);
    }

    private String form(Model model, ChannelAccount account, ChannelAccountForm form, Map<String, String> errors,
                        HttpServletRequest request) {
        model.addAttribute("account", account);
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute("configFields", ChannelAccountForm.configFields(form.type()));
        model.addAttribute("secretFields", ChannelAccountForm.secretFields(form.type()));
        model.addAttribute("aiAgents", agents.list());
        model.addAttribute("queueTabs", QueueTab.values());
        model.addAttribute("webhookUrls", account == null ? Map.of() : webhookUrls.forAccount(account, request));
        if (account != null && account.type() == ChannelType.EVOLUTION) {
            model.addAttribute("connection", evolution.of(account.id()));
        }
        return "admin/channel";
    }

    private static ChannelType type(String code) {
        try {
            return code == null ? null : ChannelType.fromCode(code);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static UUID uuid(String text) {
        try {
            return text == null || text.isBlank() ? null : UUID.fromString(text.strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static QueueTab queueTab(String name) {
        try {
            return name == null || name.isBlank() ? null : QueueTab.valueOf(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Integer minutes(String text) {
        return text == null || text.isBlank() ? null : Integer.valueOf(text);
    }
}
