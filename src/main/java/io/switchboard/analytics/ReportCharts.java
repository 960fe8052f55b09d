package io.switchboard.analytics;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

/**
 * The reports page's charts as plain data for {@code reports.js}: every label already in the reader's language,
 * so the script only draws. Each chart's figures are also in the table beside it.
 */
@Component
class ReportCharts {

    private final MessageSource messages;

    ReportCharts(MessageSource messages) {
        this.messages = messages;
    }

    /** One chart: bars or a line over {@code categories}, one or more series; {@code unit} names the value axis. */
    record Chart(String id, String type, String unit, List<String> categories, List<Series> series, boolean stacked) {
    }

    record Series(String name, List<Number> data) {
    }

    List<Chart> of(ReportsApi.Overview o, Locale locale) {
        List<Chart> charts = new ArrayList<>();
        charts.add(new Chart("chart-costs-by-day", "line", "USD", map(o.costsByDay(), d -> d.day().toString()),
                List.of(series("reports.col.costUsd", locale, o.costsByDay(), Reports.CostDay::costUsd)), false));
        charts.add(new Chart("chart-costs-by-agent", "bar", "USD",
                map(o.costsByAgentMonth(), c -> name(c.aiAgent(), locale) + " " + c.month()),
                List.of(series("reports.col.costUsd", locale, o.costsByAgentMonth(), Reports.AgentMonthCost::costUsd)), false));
        charts.add(new Chart("chart-conversations", "bar", "", map(o.agents(), a -> name(a.aiAgent(), locale)), List.of(
                series("reports.col.completed", locale, o.agents(), Reports.AgentPerformance::completed),
                series("reports.col.escalated", locale, o.agents(), Reports.AgentPerformance::escalated)), true));
        charts.add(new Chart("chart-resolutions", "bar", "", map(o.agents(), a -> name(a.aiAgent(), locale)), List.of(
                series("reports.col.confirmed", locale, o.agents(), Reports.AgentPerformance::confirmed),
                series("reports.col.assumed", locale, o.agents(), Reports.AgentPerformance::assumed),
                series("reports.col.notResolved", locale, o.agents(), Reports.AgentPerformance::notResolved),
                series("reports.col.reversed", locale, o.agents(), Reports.AgentPerformance::reversed),
                series("reports.col.pending", locale, o.agents(), Reports.AgentPerformance::pending)), true));
        charts.add(new Chart("chart-escalations", "bar", "", map(o.escalationReasons(), r -> reason(r, locale)),
                List.of(series("reports.col.conversations", locale, o.escalationReasons(),
                        Reports.EscalationReason::conversations)), false));
        charts.add(new Chart("chart-response-times", "bar", "s",
                map(o.responseTimes(), t -> text("reports.responder." + t.responder(), locale)), List.of(
                series("reports.col.firstResponseMedian", locale, o.responseTimes(), t -> seconds(t.firstResponseMedianMs())),
                series("reports.col.firstResponseP90", locale, o.responseTimes(), t -> seconds(t.firstResponseP90Ms())),
                series("reports.col.resolutionMedian", locale, o.responseTimes(), t -> seconds(t.resolutionMedianMs())),
                series("reports.col.resolutionP90", locale, o.responseTimes(), t -> seconds(t.resolutionP90Ms()))), false));
        charts.add(new Chart("chart-tools", "bar", "", map(o.tools(), Reports.ToolUsage::tool), List.of(
                series("reports.col.calls", locale, o.tools(), Reports.ToolUsage::calls),
                series("reports.col.failures", locale, o.tools(), Reports.ToolUsage::failures)), false));
        charts.add(new Chart("chart-satisfaction", "bar", "1–5", map(o.satisfaction(), s -> name(s.handler(), locale)),
                List.of(series("reports.col.average", locale, o.satisfaction(), Reports.Satisfaction::average)), false));
        return charts;
    }

    /** The reason as the reader says it (public: the page template calls it). */
    public String reason(Reports.EscalationReason r, Locale locale) {
        String reason = text("reports.reason." + r.reason(), locale);
        return r.failureKind() == null ? reason
                : reason + " · " + messages.getMessage("reports.failure." + r.failureKind(), null, r.failureKind(), locale);
    }

    private String name(String name, Locale locale) {
        return name != null ? name : text("reports.unknown", locale);
    }

    private <T> Series series(String key, Locale locale, List<T> rows, Function<T, Number> value) {
        return new Series(text(key, locale), rows.stream().map(value).toList());
    }

    private static <T> List<String> map(List<T> rows, Function<T, String> label) {
        return rows.stream().map(label).toList();
    }

    private static BigDecimal seconds(Long millis) {
        return millis == null ? null : BigDecimal.valueOf(millis).movePointLeft(3);
    }

    private String text(String key, Locale locale) {
        return messages.getMessage(key, null, locale);
    }

    /** Labels the script needs that are not in a chart (the value axis unit names stay as they are). */
    Map<String, String> labels(Locale locale) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("empty", text("reports.empty", locale));
        return labels;
    }
}
