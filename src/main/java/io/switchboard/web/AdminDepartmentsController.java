package io.switchboard.web;

import io.switchboard.ai.AiAgents;
import io.switchboard.identity.Presence;
import io.switchboard.identity.Users;
import io.switchboard.refusal.Conflict;
import io.switchboard.refusal.InvalidInput;
import io.switchboard.routing.AssignmentMethod;
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

    AdminDepartmentsController(Departments departments, SlaPolicies sla, Users users, AiAgents agents, Presence presence) {
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

    @GetMapping
    String list(Model model) {
        model.addAttribute("departments", departments.list());
        model.addAttribute("methods", AssignmentMethod.values());
        model.addAttribute("people", presence.list());
        return "admin/departments";
    }

    @PostMapping
    String create(@RequestParam String name, @RequestParam(defaultValue = "round_robin") String method,
                  RedirectAttributes redirect) {
        return saved(redirect, "/admin/departments", () -> {
            Department created = departments.create(new DepartmentDraft(name, null, AssignmentMethod.parse(method), null,
                    null, null, null, null));
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
        SlaPolicy policy = sla.list(id).stream().filter(p -> p.priority() == null).findFirst()
                .orElse(new SlaPolicy(null, id, null, SlaPolicy.DEFAULT_FIRST_RESPONSE_SECONDS, SlaPolicy.DEFAULT_RESOLUTION_SECONDS, false));
        model.addAttribute("department", department);
        model.addAttribute("members", members.stream().map(m -> new MemberRow(m, m.userId() != null)).toList());
        model.addAttribute("candidates", candidates);
        model.addAttribute("methods", AssignmentMethod.values());
        model.addAttribute("policy", policy);
        return "admin/department";
    }

    @PostMapping("/{id}")
    String update(@PathVariable UUID id, @RequestParam String name, @RequestParam String method,
                  @RequestParam(defaultValue = "false") boolean autoAssign, @RequestParam(defaultValue = "false") boolean isDefault,
                  @RequestParam(required = false) Integer maxConversations, @RequestParam(required = false) Integer stickyWindowMinutes,
                  @RequestParam(defaultValue = "") String specialties, RedirectAttributes redirect) {
        return saved(redirect, "/admin/departments/" + id, () -> {
            departments.update(id, new DepartmentDraft(name, maxConversations == null ? 0 : maxConversations,
                    AssignmentMethod.parse(method), autoAssign, null, stickyWindowMinutes == null ? 0 : stickyWindowMinutes,
                    isDefault, labels(specialties)));
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

    @PostMapping("/{id}/sla")
    String sla(@PathVariable UUID id, @RequestParam Integer firstResponseMinutes, @RequestParam Integer resolutionHours,
               @RequestParam(defaultValue = "false") boolean redistributeOnBreach, RedirectAttributes redirect) {
        return saved(redirect, "/admin/departments/" + id, () -> {
            sla.put(id, new PolicyDraft(null, firstResponseMinutes == null ? null : firstResponseMinutes * 60,
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

    private static List<String> labels(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
