package io.switchboard.analytics;

import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A report's rows as CSV (RFC 4180): one column per record component, named as in the JSON (snake_case), so a
 * spreadsheet and the API agree on every figure.
 */
final class CsvTable {

    private CsvTable() {
    }

    static String of(Class<? extends Record> type, List<? extends Record> rows) {
        RecordComponent[] columns = type.getRecordComponents();
        StringBuilder csv = new StringBuilder();
        csv.append(Stream.of(columns).map(c -> snake(c.getName())).collect(Collectors.joining(","))).append("\r\n");
        for (Record row : rows) {
            csv.append(Stream.of(columns).map(c -> cell(value(c, row))).collect(Collectors.joining(","))).append("\r\n");
        }
        return csv.toString();
    }

    private static Object value(RecordComponent column, Record row) {
        try {
            return column.getAccessor().invoke(row);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + column.getName(), e);
        }
    }

    private static String cell(Object value) {
        if (value == null) {
            return "";
        }
        String text = value instanceof java.math.BigDecimal number ? number.toPlainString() : value.toString();
        // a leading formula character would run in a spreadsheet (CSV injection)
        if (!text.isEmpty() && "=+-@".indexOf(text.charAt(0)) >= 0 && !(value instanceof Number)) {
            text = "'" + text;
        }
        boolean quoted = text.chars().anyMatch(ch -> ch == '"' || ch == ',' || ch == '\r' || ch == '\n');
        return quoted ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
    }

    static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
    }
}
