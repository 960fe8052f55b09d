package io.switchboard.analytics;

import io.switchboard.refusal.InvalidInput;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What a report covers: the organization's local days {@code from}–{@code to} (inclusive) and, optionally, one
 * channel account, department, AI agent and person. A person who is not an administrator always gets their own
 * figures ({@link #forPerson}).
 */
public record ReportFilter(LocalDate from, LocalDate to, UUID channelAccountId, UUID departmentId, UUID aiAgentId,
                           UUID userId) {

    /** A year and a bit: longer ranges are refused rather than left to time out. */
    static final int MAX_DAYS = 400;
    static final int DEFAULT_DAYS = 30;

    public ReportFilter {
        if (from == null || to == null) {
            throw new InvalidInput("from and to are required (local dates such as 2026-11-01)");
        }
        if (to.isBefore(from)) {
            throw new InvalidInput("to (" + to + ") must not be before from (" + from + ")");
        }
        if (ChronoUnit.DAYS.between(from, to) >= MAX_DAYS) {
            throw new InvalidInput("a report covers at most " + MAX_DAYS + " days; narrow from/to");
        }
    }

    /** The last {@link #DEFAULT_DAYS} days up to {@code today}, when the caller named no dates. */
    static ReportFilter of(LocalDate from, LocalDate to, LocalDate today, UUID channelAccountId, UUID departmentId,
                           UUID aiAgentId, UUID userId) {
        LocalDate end = to != null ? to : from != null ? from.plusDays(DEFAULT_DAYS - 1L) : today;
        LocalDate start = from != null ? from : end.minusDays(DEFAULT_DAYS - 1L);
        return new ReportFilter(start, end, channelAccountId, departmentId, aiAgentId, userId);
    }

    ReportFilter forPerson(UUID person) {
        return new ReportFilter(from, to, channelAccountId, departmentId, aiAgentId, person);
    }

    long days() {
        return ChronoUnit.DAYS.between(from, to) + 1;
    }

    /** SQL conditions and their parameters over a read model aliased {@code alias}. */
    record Where(String sql, List<Object> params) {

        Object[] with(Object... before) {
            List<Object> all = new ArrayList<>(List.of(before));
            all.addAll(params);
            return all.toArray();
        }
    }

    Where where(UUID organization, String alias) {
        StringBuilder sql = new StringBuilder(alias + ".organization_id = ? and " + alias + ".day between ? and ?");
        List<Object> params = new ArrayList<>(List.of(organization, from, to));
        dimension(sql, params, alias + ".channel_account_id", channelAccountId);
        dimension(sql, params, alias + ".department_id", departmentId);
        dimension(sql, params, alias + ".ai_agent_id", aiAgentId);
        dimension(sql, params, alias + ".user_id", userId);
        return new Where(sql.toString(), params);
    }

    private static void dimension(StringBuilder sql, List<Object> params, String column, UUID value) {
        if (value != null) {
            sql.append(" and ").append(column).append(" = ?");
            params.add(value);
        }
    }
}
