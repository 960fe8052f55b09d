package io.switchboard.crm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One lead's stage change as Kommo's form-encoded webhook reports it: {@code leads[status][N][id]},
 * {@code [status_id]}, {@code [pipeline_id]}, {@code [old_status_id]}, for N = 0, 1, ...
 */
record KommoStatusChange(long leadId, long statusId, Long pipelineId, Long oldStatusId) {

    private static final Pattern STATUS_FIELD = Pattern.compile("leads\\[status]\\[(\\d{1,4})]\\[([a-z_]+)]");

    /** The body is not a Kommo lead webhook, or a status entry lacks its lead or stage. */
    static final class MalformedWebhook extends Exception {
        MalformedWebhook(String message) {
            super(message);
        }
    }

    /**
     * The status changes of a webhook body, in index order. Other lead events (added, updated) carry no
     * stage change and yield nothing.
     */
    static List<KommoStatusChange> parse(Map<String, String[]> form) throws MalformedWebhook {
        if (form.keySet().stream().noneMatch(name -> name.startsWith("leads["))) {
            throw new MalformedWebhook("not a Kommo lead webhook: no leads[...] fields in the form body");
        }
        Map<Integer, Map<String, String>> entries = new TreeMap<>();
        form.forEach((name, values) -> {
            Matcher field = STATUS_FIELD.matcher(name);
            if (field.matches() && values.length > 0) {
                entries.computeIfAbsent(Integer.parseInt(field.group(1)), index -> new TreeMap<>())
                        .put(field.group(2), values[0]);
            }
        });
        List<KommoStatusChange> changes = new ArrayList<>();
        for (Map.Entry<Integer, Map<String, String>> entry : entries.entrySet()) {
            String where = "leads[status][" + entry.getKey() + "]";
            Map<String, String> fields = entry.getValue();
            changes.add(new KommoStatusChange(required(fields, "id", where), required(fields, "status_id", where),
                    optional(fields, "pipeline_id", where), optional(fields, "old_status_id", where)));
        }
        return changes;
    }

    private static long required(Map<String, String> fields, String name, String where) throws MalformedWebhook {
        Long value = optional(fields, name, where);
        if (value == null) {
            throw new MalformedWebhook(where + "[" + name + "] is required");
        }
        return value;
    }

    private static Long optional(Map<String, String> fields, String name, String where) throws MalformedWebhook {
        String value = fields.get(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new MalformedWebhook(where + "[" + name + "] must be a number, got '" + value + "'");
        }
    }
}
