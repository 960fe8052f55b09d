package io.switchboard.web;

import io.switchboard.ai.AiAgents;
import io.switchboard.channel.ChannelAccount;
import io.switchboard.channel.ChannelAccounts;
import io.switchboard.identity.Presence;
import io.switchboard.identity.Users;
import io.switchboard.refusal.Conflict;
import io.switchboard.refusal.InvalidInput;
import io.switchboard.routing.AssignmentMethod;
import io.switchboard.routing.BusinessHours;
import io.switchboard.routing.ChannelRule;
import io.switchboard.routing.ChannelRules;
import io.switchboard.routing.Department;
import io.switchboard.routing.DepartmentMember;
import io.switchboard.routing.DepartmentDraft;
import io.switchboard.routing.Departments;
import io.switchboard.routing.MemberDraft;
import io.switchboard.routing.PolicyDraft;
import io.switchboard.routing.SlaPolicies;
import io.switchboard.routing.SlaPolicy;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Administrators set up distribution: departments, their members (people and AI agents) with weights,
 * capacities and specialties, the assignment method and the SLA policy; and see who is online.
 */
@Controller
@RequestMapping("/admin/departments")
class AdminDepartmentsController {

    private final Departments departments;
    private final SlaPolicies sla;
    private final Users users;
    private final AiAgents agents;
    private final Presence presence;
    private final ChannelRules channelRules;
    private final ChannelAccounts channelAccounts;

    AdminDepartmentsController(Departments departments, SlaPolicies sla, Users users, AiAgents agents, Presence presence,
                               ChannelRules channelRules, ChannelAccounts channelAccounts) {
        this.channelRules = channelRules;
        this.channelAccounts = channelAccounts;
        this.departments = departments;
        this.sla = sla;
        this.users = users;
        this.agents = agents;
        this.presence = presence;
    }

    /** A member as the page shows it, with its kind. */
    record MemberRow(DepartmentMember member, boolean person) {
    }

    /** Someone who could join: a person or an AI agent not yet a member. */
    record Candidate(String value, String name, boolean person) {
    }

    /** The SLA targets for one priority (empty: every priority without its own), and whether they are set here. */
    record PolicyRow(String priority, SlaPolicy policy, boolean own) {
        public int firstResponseMinutes() {
            return (policy.firstResponseSeconds() + 59) / 60;
        }

        public int resolutionHours() {
            return (policy.resolutionSeconds() + 3599) / 3600;
        }
    }

    /** A weekday's opening windows as the form shows them: 09:00-12:00, 13:00-18:00 (empty: closed). */
    record DayHours(String day, String windows) {
    }

    /** A channel account routed to this department. */
    record ChannelRow(ChannelRule rule, String accountName) {
    }

    static final List<String> PRIORITIES = List.of("", "urgent", "high", "normal", "low");
    private static final List<String> DAYS = List.of("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday");

    @GetMapping
    String list(Model model) {
        model.addAttribute("departments", departments.list());
        model.addAttribute("now", java.time.Instant.now());
        model.addAttribute("methods", AssignmentMethod.values());
        model.addAttribute("people", presence.list());
        return "admin/departments";
    }

    @PostMapping
    String create(@RequestParam String name, @RequestParam(defaultValue = "round_robin") String method,
                  RedirectAttributes redirect) {
        return saved(redirect, "/admin/departments", () -> {
            Department created = departments.create(new DepartmentDraft(name, null, AssignmentMethod.parse(method), null,
                    null, null, null, null, null));
            redirect.addFlashAttribute("notice", "admin.departments.created");
            redirect.addFlashAttribute("noticeArg", created.name());
            return "/admin/departments/" + created.id();
        });
    }

    @GetMapping("/{id}")
    String department(@PathVariable UUID id, Model model) {
        Department department = departments.get(id);
        List<DepartmentMember> members = departments.members(id);
        Set<UUID> in = members.stream().map(m -> m.userId() != null ? m.userId() : m.aiAgentId()).collect(Collectors.toSet());
        List<Candidate> candidates = new java.util.ArrayList<>();
        users.list().stream().filter(u -> u.active() && !in.contains(u.id()))
                .forEach(u -> candidates.add(new Candidate("user:" + u.id(), u.name(), true)));
        agents.list().stream().filter(a -> !in.contains(a.id()))
                .forEach(a -> candidates.add(new Candidate("ai:" + a.id(), a.name(), false)));
        List<SlaPolicy> policies = sla.list(id);
        SlaPolicy every = policies.stream().filter(p -> p.priority() == null).findFirst()
                .orElse(new SlaPolicy(null, id, null, SlaPolicy.DEFAULT_FIRST_RESPONSE_SECONDS, SlaPolicy.DEFAULT_RESOLUTION_SECONDS, false));
        // a priority without its own policy shows what applies to it: the department's policy for every priority
        List<PolicyRow> policyRows = PRIORITIES.stream().map(priority -> policies.stream()
                .filter(p -> priority.equals(p.priority() == null ? "" : p.priority())).findFirst()
                .map(p -> new PolicyRow(priority, p, true)).orElse(new PolicyRow(priority, every, false))).toList();
        BusinessHours hours = department.businessHours();
        List<DayHours> days = DAYS.stream().map(day -> new DayHours(day, hours == null ? "" : hours.weekly()
                .getOrDefault(day, List.of()).stream().map(w -> w.from() + "-" + w.to()).collect(Collectors.joining(", ")))).toList();
        List<ChannelAccount> accounts = channelAccounts.list();
        Map<UUID, String> accountNames = accounts.stream().collect(Collectors.toMap(ChannelAccount::id, ChannelAccount::name));
        List<ChannelRule> rules = channelRules.list();
        Set<UUID> routed = rules.stream().map(ChannelRule::channelAccountId).collect(Collectors.toSet());
        model.addAttribute("policies", policyRows);
        model.addAttribute("hours", hours);
        model.addAttribute("days", days);
        model.addAttribute("channelRows", rules.stream().filter(r -> r.departmentId().equals(id))
                .map(r -> new ChannelRow(r, accountNames.getOrDefault(r.channelAccountId(), r.channelAccountId().toString()))).toList());
        model.addAttribute("unroutedAccounts", accounts.stream().filter(a -> !routed.contains(a.id())).toList());
        model.addAttribute("department", department);
        model.addAttribute("members", members.stream().map(m -> new MemberRow(m, m.userId() != null)).toList());
        model.addAttribute("candidates", candidates);
        model.addAttribute("methods", AssignmentMethod.values());
        return "admin/department";
    }

    @PostMapping("/{id}")
    String update(@PathVariable UUID id, @RequestParam String name, @RequestParam String method,
                  @RequestParam(defaultValue = "false") boolean autoAssign, @RequestParam(defaultValue = "false") boolean isDefault,
                  @RequestParam(defaultValue = "false") boolean assignToAiAgent,
                  @RequestParam(required = false) Integer maxConversations, @RequestParam(required = false) Integer stickyWindowMinutes,
                  @RequestParam(defaultValue = "") String specialties, RedirectAttributes redirect) {
        return saved(redirect, "/admin/departments/" + id, () -> {
            departments.update(id, new DepartmentDraft(name, maxConversations == null ? 0 : maxConversations,
                    AssignmentMethod.parse(method), autoAssign, assignToAiAgent, stickyWindowMinutes == null ? 0 : stickyWindowMinutes,
                    isDefault, labels(specialties), null));
            redirect.addFlashAttribute("notice", "admin.departments.saved");
            return "/admin/departments/" + id;
        });
    }

    @PostMapping("/{id}/delete")
    String delete(@PathVariable UUID id, RedirectAttributes redirect) {
        departments.delete(id);
        redirect.addFlashAttribute("notice", "admin.departments.deleted");
        return "redirect:/admin/departments";
    }

    @PostMapping("/{id}/members")
    String addMember(@PathVariable UUID id, @RequestParam String member, @RequestParam(required = false) Integer weight,
                     @RequestParam(required = false) Integer maxConversations, @RequestParam(defaultValue = "") String specialties,
                     RedirectAttributes redirect) {
        return saved(redirect, "/admin/departments/" + id, () -> {
            boolean person = member.startsWith("user:");
            UUID memberId = parseMember(member);
            departments.addMember(id, new MemberDraft(person ? memberId : null, person ? null : memberId,
                    weight, maxConversations, labels(specialties)));
            redirect.addFlashAttribute("notice", "admin.departments.memberAdded");
            return "/admin/departments/" + id;
        });
    }

    @PostMapping("/{id}/members/{memberId}")
    String updateMember(@PathVariable UUID id, @PathVariable UUID memberId, @RequestParam Integer weight,
                        @RequestParam(required = false) Integer maxConversations, @RequestParam(defaultValue = "") String specialties,
                        RedirectAttributes redirect) {
        return saved(redirect, "/admin/departments/" + id, () -> {
            departments.updateMember(id, memberId, new MemberDraft(null, null, weight,
                    maxConversations == null ? 0 : maxConversations, labels(specialties)));
            redirect.addFlashAttribute("notice", "admin.departments.saved");
            return "/admin/departments/" + id;
        });
    }

    @PostMapping("/{id}/members/{memberId}/remove")
    String removeMember(@PathVariable UUID id, @PathVariable UUID memberId, RedirectAttributes redirect) {
        departments.removeMember(id, memberId);
        redirect.addFlashAttribute("notice", "admin.departments.memberRemoved");
        return "redirect:/admin/departments/" + id;
    }

    /** Business hours: a line of windows per weekday (empty: closed all day), holidays; no window at all: always open. */
    @PostMapping("/{id}/hours")
    String hours(@PathVariable UUID id, @RequestParam(defaultValue = "UTC") String timezone,
                 @RequestParam Map<String, String> form, @RequestParam(defaultValue = "") String holidays,
                 RedirectAttributes redirect) {
        return saved(redirect, "/admin/departments/" + id, () -> {
            Map<String, List<BusinessHours.Window>> weekly = new java.util.LinkedHashMap<>();
            DAYS.forEach(day -> weekly.put(day, windows(form.getOrDefault("day-" + day, ""))));
            departments.update(id, new DepartmentDraft(null, null, null, null, null, null, null, null,
                    new BusinessHours(timezone, weekly, dates(holidays))));
            redirect.addFlashAttribute("notice", "admin.departments.saved");
            return "/admin/departments/" + id;
        });
    }

    /** Routes a channel account's new conversations here (replacing where it went before). */
    @PostMapping("/{id}/channels")
    String routeChannel(@PathVariable UUID id, @RequestParam UUID channelAccountId,
                        @RequestParam(defaultValue = "false") boolean autoAssign,
                        @RequestParam(defaultValue = "false") boolean assignToAiAgent, RedirectAttributes redirect) {
        return saved(redirect, "/admin/departments/" + id, () -> {
            channelRules.put(new ChannelRule(channelAccountId, id, autoAssign, assignToAiAgent));
            redirect.addFlashAttribute("notice", "admin.departments.saved");
            return "/admin/departments/" + id;
        });
    }

    @PostMapping("/{id}/channels/{channelAccountId}/remove")
    String unrouteChannel(@PathVariable UUID id, @PathVariable UUID channelAccountId, RedirectAttributes redirect) {
        channelRules.delete(channelAccountId);
        redirect.addFlashAttribute("notice", "admin.departments.saved");
        return "redirect:/admin/departments/" + id;
    }

    @PostMapping("/{id}/sla/{policyId}/remove")
    String removePolicy(@PathVariable UUID id, @PathVariable UUID policyId, RedirectAttributes redirect) {
        sla.delete(id, policyId);
        redirect.addFlashAttribute("notice", "admin.departments.saved");
        return "redirect:/admin/departments/" + id;
    }

    @PostMapping("/{id}/sla")
    String sla(@PathVariable UUID id, @RequestParam(defaultValue = "") String priority, @RequestParam Integer firstResponseMinutes,
               @RequestParam Integer resolutionHours, @RequestParam(defaultValue = "false") boolean redistributeOnBreach,
               RedirectAttributes redirect) {
        return saved(redirect, "/admin/departments/" + id, () -> {
            sla.put(id, new PolicyDraft(priority.isBlank() ? null : priority, firstResponseMinutes == null ? null : firstResponseMinutes * 60,
                    resolutionHours == null ? null : resolutionHours * 3600, redistributeOnBreach));
            redirect.addFlashAttribute("notice", "admin.departments.saved");
            return "/admin/departments/" + id;
        });
    }

    /** Runs a change; a refusal comes back to the page as a message rather than an error page. */
    private static String saved(RedirectAttributes redirect, String back, Supplier<String> change) {
        try {
            return "redirect:" + change.get();
        } catch (Conflict e) {
            redirect.addFlashAttribute("actionError", "error.department.conflict");
        } catch (InvalidInput e) {
            redirect.addFlashAttribute("actionError", "error.department.invalid");
        }
        return "redirect:" + back;
    }

    private static UUID parseMember(String value) {
        try {
            return UUID.fromString(value.substring(value.indexOf(':') + 1));
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("choose a person or an AI agent");
        }
    }

    /** Windows written as 09:00-12:00, 13:00-18:00 (a dash or en dash between the times). */
    private static List<BusinessHours.Window> windows(String text) {
        return Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).map(window -> {
            String[] times = window.split("\\s*[-–]\\s*");
            if (times.length != 2) {
                throw new InvalidInput("a window is two times, like 09:00-18:00");
            }
            return new BusinessHours.Window(times[0], times[1]);
        }).toList();
    }

    private static List<java.time.LocalDate> dates(String text) {
        try {
            return Arrays.stream(text.split("[,\\s]+")).filter(s -> !s.isEmpty()).map(java.time.LocalDate::parse).toList();
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidInput("holidays are dates like 2026-12-25");
        }
    }

    private static List<String> labels(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
