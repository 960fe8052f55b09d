package io.switchboard.analytics;

import io.switchboard.database.TenantScope;
import io.switchboard.identity.Caller;
import io.switchboard.refusal.InvalidInput;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.json.JsonMapper;

/**
 * The reports page: charts with their tables and CSV downloads, for a date range and optional filters, and the
 * AI usage fragment of the conversation panel. Administrators see everything; anyone else their own figures.
 */
@Controller
class ReportsPage {

    private final ReportsApi api;
    private final ReportSettingsStore settings;
    private final ReportCharts charts;
    private final ConversationUsage usage;
    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;

    ReportsPage(ReportsApi api, ReportSettingsStore settings, ReportCharts charts, ConversationUsage usage,
                JdbcClient jdbc, JsonMapper json, Clock clock) {
        this.api = api;
        this.settings = settings;
        this.charts = charts;
        this.usage = usage;
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    /** Something a filter can be set to: a channel account, department, AI agent or person. */
    record Choice(UUID id, String name) {
    }

    @GetMapping("/reports")
    String page(@AuthenticationPrincipal Caller caller, @RequestParam(required = false) String from,
                @RequestParam(required = false) String to,
                @RequestParam(name = "channel_account_id", required = false) UUID channelAccountId,
                @RequestParam(name = "department_id", required = false) UUID departmentId,
                @RequestParam(name = "ai_agent_id", required = false) UUID aiAgentId,
                @RequestParam(name = "user_id", required = false) UUID userId, Model model, Locale locale) {
        LocalDate today = clock.instant().atZone(settings.current().timeZone()).toLocalDate();
        ReportFilter filter;
        try {
            filter = ReportFilter.of(date(from), date(to), today, channelAccountId, departmentId, aiAgentId, userId);
        } catch (InvalidInput e) {
            model.addAttribute("filterError", true);
            filter = ReportFilter.of(null, null, today, channelAccountId, departmentId, aiAgentId, userId);
        }
        if (!caller.admin()) {
            filter = filter.forPerson(caller.userId() == null ? new UUID(0, 0) : caller.userId());
        }
        ReportsApi.Overview overview = api.overview(filter);
        model.addAttribute("filter", filter);
        model.addAttribute("overview", overview);
        model.addAttribute("admin", caller.admin());
        // inside a script element: no name may close it
        model.addAttribute("chartsJson", json.writeValueAsString(charts.of(overview, locale)).replace("<", "\\u003c"));
        model.addAttribute("labelsJson", json.writeValueAsString(charts.labels(locale)).replace("<", "\\u003c"));
        model.addAttribute("charts", charts);
        model.addAttribute("csvQuery", csvQuery(filter));
        model.addAttribute("accounts", choices("select id, name from channel_accounts order by name"));
        model.addAttribute("departments", choices("select id, name from departments order by name"));
        model.addAttribute("aiAgents", choices("select id, name from ai_agents order by name"));
        model.addAttribute("people", caller.admin() ? choices("select id, name from users where active order by name") : List.of());
        return "reports";
    }

    @GetMapping("/reports/conversations/{id}/ai-usage")
    String conversationUsage(@PathVariable UUID id, Model model) {
        model.addAttribute("usage", usage.of(id));
        return "analytics/ai-usage :: figures";
    }

    private List<Choice> choices(String sql) {
        // read in the caller's tenant scope: row-level security keeps other organizations' names out
        TenantScope.requireOrganization();
        return jdbc.sql(sql).query((rs, n) -> new Choice(rs.getObject(1, UUID.class), rs.getString(2))).list();
    }

    private static String csvQuery(ReportFilter filter) {
        UriComponentsBuilder query = UriComponentsBuilder.newInstance().queryParam("format", "csv")
                .queryParam("from", filter.from()).queryParam("to", filter.to());
        if (filter.channelAccountId() != null) {
            query.queryParam("channel_account_id", filter.channelAccountId());
        }
        if (filter.departmentId() != null) {
            query.queryParam("department_id", filter.departmentId());
        }
        if (filter.aiAgentId() != null) {
            query.queryParam("ai_agent_id", filter.aiAgentId());
        }
        if (filter.userId() != null) {
            query.queryParam("user_id", filter.userId());
        }
        return query.build().toUriString();
    }

    private static LocalDate date(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new InvalidInput("dates are written as 2026-11-30");
        }
    }
}
