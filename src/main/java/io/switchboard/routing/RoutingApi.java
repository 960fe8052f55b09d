package io.switchboard.routing;

import io.swagger.v3.oas.annotations.Operation;
import io.switchboard.identity.Caller;
import io.switchboard.refusal.InvalidInput;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Distribution over the API: {@code /api/v1/departments} (members, SLA policies, queue), transfers of a
 * conversation to a department, SLA clocks and figures. Administrators configure; agents read and transfer.
 */
@RestController
@RequestMapping("/api/v1")
class RoutingApi {

    private final Departments departments;
    private final SlaPolicies sla;
    private final Router router;
    private final JdbcClient jdbc;
    private final ChannelRules channelRules;

    RoutingApi(Departments departments, SlaPolicies sla, Router router, JdbcClient jdbc, ChannelRules channelRules) {
        this.channelRules = channelRules;
        this.departments = departments;
        this.sla = sla;
        this.router = router;
        this.jdbc = jdbc;
    }

    record DepartmentBody(String name, Integer maxConversations, AssignmentMethod assignmentMethod, Boolean autoAssign,
                          Boolean assignToAiAgent, Integer stickyWindowMinutes, Boolean isDefault, List<String> specialties,
                          BusinessHours businessHours) {

        DepartmentDraft draft() {
            return new DepartmentDraft(name, maxConversations, assignmentMethod, autoAssign, assignToAiAgent,
                    stickyWindowMinutes, isDefault, specialties, businessHours);
        }
    }

    record MemberBody(UUID userId, UUID aiAgentId, Integer weight, Integer maxConversations, List<String> specialties) {

        MemberDraft draft() {
            return new MemberDraft(userId, aiAgentId, weight, maxConversations, specialties);
        }
    }

    record PolicyBody(String priority, Integer firstResponseSeconds, Integer resolutionSeconds, Boolean redistributeOnBreach) {
    }

    record ChannelRuleBody(UUID departmentId, Boolean autoAssign, Boolean assignToAiAgent) {
    }

    record TransferBody(UUID departmentId, String reason, String specialty) {
    }

    record QueueEntry(UUID conversationId, String reason, String specialty, Instant enqueuedAt) {
    }

    record SlaTimerView(UUID conversationId, UUID departmentId, UUID userId, SlaTimer.State state, long secondsLeft,
                        Instant firstResponseDue, Instant firstResponseAt, Instant resolutionDue, Instant resolvedAt) {
    }

    @GetMapping("/departments")
    @PreAuthorize("hasRole('AGENT')")
    ListPage<Department> list(@RequestParam(defaultValue = "100") int limit, @RequestParam(required = false) String cursor) {
        return ListPage.of(departments.list(), limit, cursor);
    }

    @PostMapping("/departments")
    @PreAuthorize("hasRole('ADMIN')")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a department (method round_robin, auto-assign on and a 7-day sticky window by default)")
    Department create(@RequestBody DepartmentBody body) {
        return departments.create(required(body).draft());
    }

    @GetMapping("/departments/{id}")
    @PreAuthorize("hasRole('AGENT')")
    Department get(@PathVariable UUID id) {
        return departments.get(id);
    }

    @PatchMapping("/departments/{id}")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "Change a department; absent fields keep their value, 0 removes max_conversations / turns sticky return off, "
            + "business_hours with an empty weekly removes the hours (always open)")
    Department update(@PathVariable UUID id, @RequestBody DepartmentBody body) {
        return departments.update(id, required(body).draft());
    }

    @DeleteMapping("/departments/{id}")
    @PreAuthorize("hasRole('ADMIN')")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable UUID id) {
        departments.delete(id);
    }

    @GetMapping("/departments/{id}/members")
    @PreAuthorize("hasRole('AGENT')")
    ListPage<DepartmentMember> members(@PathVariable UUID id, @RequestParam(defaultValue = "100") int limit,
                                       @RequestParam(required = false) String cursor) {
        return ListPage.of(departments.members(id), limit, cursor);
    }

    @PostMapping("/departments/{id}/members")
    @PreAuthorize("hasRole('ADMIN')")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Add a person (user_id) or an AI agent (ai_agent_id) with a weight, a capacity and specialties")
    DepartmentMember addMember(@PathVariable UUID id, @RequestBody MemberBody body) {
        return departments.addMember(id, required(body).draft());
    }

    @PatchMapping("/departments/{id}/members/{memberId}")
    @PreAuthorize("hasRole('ADMIN')")
    DepartmentMember updateMember(@PathVariable UUID id, @PathVariable UUID memberId, @RequestBody MemberBody body) {
        return departments.updateMember(id, memberId, required(body).draft());
    }

    @DeleteMapping("/departments/{id}/members/{memberId}")
    @PreAuthorize("hasRole('ADMIN')")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void removeMember(@PathVariable UUID id, @PathVariable UUID memberId) {
        departments.removeMember(id, memberId);
    }

    @GetMapping("/departments/{id}/sla_policies")
    @PreAuthorize("hasRole('AGENT')")
    ListPage<SlaPolicy> policies(@PathVariable UUID id, @RequestParam(defaultValue = "100") int limit,
                                 @RequestParam(required = false) String cursor) {
        return ListPage.of(sla.list(id), limit, cursor);
    }

    @PutMapping("/departments/{id}/sla_policies")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "Set the department's SLA policy for a priority (null: every priority); replaces the previous one")
    SlaPolicy putPolicy(@PathVariable UUID id, @RequestBody PolicyBody body) {
        PolicyBody b = required(body);
        return sla.put(id, new PolicyDraft(b.priority(), b.firstResponseSeconds(), b.resolutionSeconds(), b.redistributeOnBreach()));
    }

    @DeleteMapping("/departments/{id}/sla_policies/{policyId}")
    @PreAuthorize("hasRole('ADMIN')")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void deletePolicy(@PathVariable UUID id, @PathVariable UUID policyId) {
        sla.delete(id, policyId);
    }

    @GetMapping("/routing_channel_rules")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "Automatic assignment per channel account: which department each account's new conversations go to")
    ListPage<ChannelRule> channelRules(@RequestParam(defaultValue = "100") int limit, @RequestParam(required = false) String cursor) {
        return ListPage.of(channelRules.list(), limit, cursor);
    }

    @GetMapping("/routing_channel_rules/{channelAccountId}")
    @PreAuthorize("hasRole('ADMIN')")
    ChannelRule channelRule(@PathVariable UUID channelAccountId) {
        return channelRules.find(channelAccountId)
                .orElseThrow(() -> new io.switchboard.refusal.NotFound("channel account " + channelAccountId + " has no routing rule"));
    }

    @PutMapping("/routing_channel_rules/{channelAccountId}")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "Route the channel account's new conversations to a department (auto_assign: on/off, default on; "
            + "assign_to_ai_agent: AI agents and people in one pool, default off: the AI answers first and people get its escalations)")
    ChannelRule putChannelRule(@PathVariable UUID channelAccountId, @RequestBody ChannelRuleBody body) {
        ChannelRuleBody b = required(body);
        return channelRules.put(new ChannelRule(channelAccountId, b.departmentId(), !Boolean.FALSE.equals(b.autoAssign()),
                Boolean.TRUE.equals(b.assignToAiAgent())));
    }

    @DeleteMapping("/routing_channel_rules/{channelAccountId}")
    @PreAuthorize("hasRole('ADMIN')")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void deleteChannelRule(@PathVariable UUID channelAccountId) {
        channelRules.delete(channelAccountId);
    }

    @GetMapping("/departments/{id}/queue")
    @PreAuthorize("hasRole('AGENT')")
    @Operation(summary = "Conversations waiting for a member of the department, oldest first")
    ListPage<QueueEntry> queue(@PathVariable UUID id, @RequestParam(defaultValue = "100") int limit,
                               @RequestParam(required = false) String cursor) {
        departments.get(id);
        return ListPage.of(jdbc.sql("""
                        select conversation_id, reason, specialty, enqueued_at from routing_queue
                        where department_id = ? order by enqueued_at, conversation_id""")
                .param(id).query((rs, n) -> new QueueEntry(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                        rs.getTimestamp(4).toInstant())).list(), limit, cursor);
    }

    @PostMapping("/conversations/{id}/transfer")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasRole('AGENT')")
    @Operation(summary = "Transfer the conversation to a department: it leaves its owner and is assigned by the department's rules")
    void transfer(@AuthenticationPrincipal Caller caller, @PathVariable UUID id, @RequestBody TransferBody body) {
        if (body == null || body.departmentId() == null) {
            throw new InvalidInput("department_id is required");
        }
        router.transfer(id, body.departmentId(), caller.userId(),
                body.reason() == null || body.reason().isBlank() ? "transferred" : body.reason().strip(), body.specialty());
    }

    @GetMapping("/sla_timers")
    @PreAuthorize("hasRole('AGENT')")
    @Operation(summary = "SLA clocks of the given conversations (comma-separated ids): state and seconds left")
    ListPage<SlaTimerView> timers(@RequestParam("conversation_ids") String ids) {
        List<UUID> conversationIds;
        try {
            conversationIds = Arrays.stream(ids.split(",")).map(String::strip).filter(s -> !s.isEmpty()).map(UUID::fromString).toList();
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("conversation_ids must be comma-separated conversation ids");
        }
        if (conversationIds.size() > ListPage.MAX_LIMIT) {
            throw new InvalidInput("at most " + ListPage.MAX_LIMIT + " conversation_ids");
        }
        Instant now = Instant.now();
        List<SlaTimerView> views = sla.timers(conversationIds).stream().map(t -> new SlaTimerView(t.conversationId(),
                t.departmentId(), t.userId(), t.stateAt(now), t.leftAt(now).toSeconds(), t.firstResponseDue(),
                t.firstResponseAt(), t.resolutionDue(), t.resolvedAt())).toList();
        return new ListPage<>(views, null);
    }

    @GetMapping("/sla_figures")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "Met and breached SLA targets per department and person for clocks started from `from` (inclusive) to `to` (exclusive)")
    ListPage<SlaFigure> figures(@RequestParam Instant from, @RequestParam Instant to,
                                @RequestParam(defaultValue = "100") int limit, @RequestParam(required = false) String cursor) {
        return ListPage.of(sla.figures(from, to), limit, cursor);
    }

    private static <T> T required(T body) {
        if (body == null) {
            throw new InvalidInput("the body must be a JSON object");
        }
        return body;
    }
}
