package io.switchboard.analytics;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.switchboard.identity.Caller;
import io.switchboard.refusal.NotFound;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The reports over REST, as JSON or CSV. Administrators see the whole organization; anyone else sees only the
 * conversations they handled (the {@code user_id} filter is forced to themselves).
 */
@RestController
@RequestMapping("/api/v1/reports")
@PreAuthorize("hasRole('AGENT')")
class ReportsApi {

    private final Reports reports;
    private final ReportSettingsStore settings;
    private final Rollups rollups;
    private final ConversationUsage usage;
    private final Clock clock;

    ReportsApi(Reports reports, ReportSettingsStore settings, Rollups rollups, ConversationUsage usage, Clock clock) {
        this.reports = reports;
        this.settings = settings;
        this.rollups = rollups;
        this.usage = usage;
        this.clock = clock;
    }

    /** Every report of the page in one answer. */
    record Overview(LocalDate from, LocalDate to, String timeZone, List<Reports.CostDay> costsByDay,
                    List<Reports.AgentMonthCost> costsByAgentMonth, List<Reports.AgentPerformance> agents,
                    List<Reports.EscalationReason> escalationReasons, List<Reports.ResponseTimes> responseTimes,
                    List<Reports.ToolUsage> tools, List<Reports.Satisfaction> satisfaction,
                    List<Reports.PersonPerformance> people, List<Reports.SlaResult> sla) {
    }

    /** One report's rows; reports are short (one row per day, agent, reason…), so there is never a next page. */
    record Page<T>(List<T> items, String nextCursor) {
    }

    /** A report by its path name: the rows' type and how to read them. */
    private record Named<T extends Record>(Class<T> type, Function<ReportFilter, List<T>> read) {
    }

    private Named<? extends Record> named(String name) {
        return switch (name) {
            case "costs_by_day" -> new Named<>(Reports.CostDay.class, reports::costsByDay);
            case "costs_by_agent_month" -> new Named<>(Reports.AgentMonthCost.class, reports::costsByAgentMonth);
            case "agents" -> new Named<>(Reports.AgentPerformance.class, reports::agentPerformance);
            case "escalation_reasons" -> new Named<>(Reports.EscalationReason.class, reports::escalationReasons);
            case "response_times" -> new Named<>(Reports.ResponseTimes.class, reports::responseTimes);
            case "tools" -> new Named<>(Reports.ToolUsage.class, reports::toolUsage);
            case "satisfaction" -> new Named<>(Reports.Satisfaction.class, reports::satisfaction);
            case "people" -> new Named<>(Reports.PersonPerformance.class, reports::people);
            case "sla" -> new Named<>(Reports.SlaResult.class, reports::sla);
            default -> throw new NotFound("no report named '" + name + "'; see /api/v1/reports in the API docs");
        };
    }

    static final String FILTER_DOC = "from/to: local dates in the organization's time zone (default the last 30 days); "
            + "channel_account_id, department_id, ai_agent_id, user_id narrow the figures.";

    @GetMapping
    @Operation(summary = "All reports for a date range", description = FILTER_DOC)
    Overview overview(@AuthenticationPrincipal Caller caller,
                      @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
                      @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
                      @RequestParam(name = "channel_account_id", required = false) UUID channelAccountId,
                      @RequestParam(name = "department_id", required = false) UUID departmentId,
                      @RequestParam(name = "ai_agent_id", required = false) UUID aiAgentId,
                      @RequestParam(name = "user_id", required = false) UUID userId) {
        ReportFilter filter = filter(caller, from, to, channelAccountId, departmentId, aiAgentId, userId);
        return overview(filter);
    }

    Overview overview(ReportFilter filter) {
        return new Overview(filter.from(), filter.to(), settings.current().timeZone().getId(), reports.costsByDay(filter),
                reports.costsByAgentMonth(filter), reports.agentPerformance(filter), reports.escalationReasons(filter),
                reports.responseTimes(filter), reports.toolUsage(filter), reports.satisfaction(filter), reports.people(filter),
                reports.sla(filter));
    }

    @GetMapping("/{report}")
    @Operation(summary = "One report as JSON ({items, next_cursor}) or CSV (format=csv)",
            description = "report: costs_by_day, costs_by_agent_month, agents, escalation_reasons, response_times, "
                    + "tools, satisfaction, people or sla (SLA targets met and breached per department and person; "
                    + "channel_account_id and ai_agent_id do not narrow it). " + FILTER_DOC)
    ResponseEntity<?> report(@AuthenticationPrincipal Caller caller, @PathVariable String report,
                             @Parameter(description = "json (default) or csv") @RequestParam(required = false) String format,
                             @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
                             @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
                             @RequestParam(name = "channel_account_id", required = false) UUID channelAccountId,
                             @RequestParam(name = "department_id", required = false) UUID departmentId,
                             @RequestParam(name = "ai_agent_id", required = false) UUID aiAgentId,
                             @RequestParam(name = "user_id", required = false) UUID userId) {
        Named<? extends Record> named = named(report);
        ReportFilter filter = filter(caller, from, to, channelAccountId, departmentId, aiAgentId, userId);
        return respond(named, filter, report, "csv".equalsIgnoreCase(format));
    }

    private <T extends Record> ResponseEntity<?> respond(Named<T> named, ReportFilter filter, String report, boolean csv) {
        List<T> rows = named.read().apply(filter);
        if (!csv) {
            return ResponseEntity.ok(new Page<>(rows, null));
        }
        String file = "switchboard-" + report + "-" + filter.from() + "-" + filter.to() + ".csv";
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + file + "\"")
                .contentType(new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8))
                .body(CsvTable.of(named.type(), rows));
    }

    record SettingsView(String timeZone, boolean csatEnabled, String csatScale) {
        static SettingsView of(ReportSettings s) {
            return new SettingsView(s.timeZone().getId(), s.csatEnabled(), s.csatScale().db());
        }
    }

    record SettingsChange(String timeZone, Boolean csatEnabled, String csatScale) {
    }

    @GetMapping("/settings")
    @Operation(summary = "The report time zone and the CSAT survey settings")
    SettingsView settings() {
        return SettingsView.of(settings.current());
    }

    @PutMapping("/settings")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "Change the report time zone (IANA id; the read models are rebuilt in it) or the CSAT survey "
            + "(csat_enabled, csat_scale numeric|emoji); fields left out keep their value")
    SettingsView changeSettings(@RequestBody SettingsChange change) {
        return SettingsView.of(settings.save(change.timeZone(), change.csatEnabled(), change.csatScale()));
    }

    record Refreshed(int conversations) {
    }

    @PostMapping("/refresh")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "Refresh the read models now instead of waiting for the next run of the job (about a minute)",
            description = "rebuild=true recomputes them from the whole history (e.g. after importing old data).")
    Refreshed refresh(@RequestParam(defaultValue = "false") boolean rebuild) {
        return new Refreshed(rebuild ? rollups.rebuild() : rollups.refresh());
    }

    @GetMapping("/conversations/{id}/ai_usage")
    @Operation(summary = "Tokens and cost of the AI in one conversation, live from the LLM ledger")
    ConversationUsage.Usage conversationUsage(@PathVariable UUID id) {
        return usage.of(id);
    }

    private ReportFilter filter(Caller caller, LocalDate from, LocalDate to, UUID channelAccountId, UUID departmentId,
                                UUID aiAgentId, UUID userId) {
        LocalDate today = clock.instant().atZone(settings.current().timeZone()).toLocalDate();
        ReportFilter filter = ReportFilter.of(from, to, today, channelAccountId, departmentId, aiAgentId, userId);
        // a non-administrator without a person (an agent integration token) has no figures of its own
        return caller.admin() ? filter : filter.forPerson(caller.userId() == null ? new UUID(0, 0) : caller.userId());
    }
}
