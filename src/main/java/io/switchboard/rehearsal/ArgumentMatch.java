package io.switchboard.rehearsal;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * How expected tool arguments match actual ones (for expectations and for choosing a fixture). Only the keys
 * given are checked. A plain value matches by its text (so {@code 1234} matches {@code "1234"}); an object with
 * one of {@code contains}, {@code regex}, {@code one_of} or {@code any} is a matcher; another object matches
 * key by key.
 */
final class ArgumentMatch {

    private ArgumentMatch() {
    }

    static boolean matches(JsonNode expected, JsonNode actual) {
        if (expected == null || expected.isNull() || expected.isMissingNode()) {
            return true;
        }
        if (expected.isObject() && expected.size() == 1) {
            Map.Entry<String, JsonNode> only = expected.properties().iterator().next();
            JsonNode value = only.getValue();
            switch (only.getKey()) {
                case "any":
                    return value.asBoolean() ? actual != null && !actual.isMissingNode() && !actual.isNull() : true;
                case "contains":
                    return actual != null && text(actual).toLowerCase(Locale.ROOT).contains(value.asString().toLowerCase(Locale.ROOT));
                case "regex":
                    return actual != null && Pattern.compile(value.asString()).matcher(text(actual)).find();
                case "one_of":
                    for (JsonNode option : value) {
                        if (matches(option, actual)) {
                            return true;
                        }
                    }
                    return false;
                default:
                    break;
            }
        }
        if (actual == null || actual.isMissingNode()) {
            return false;
        }
        if (expected.isObject()) {
            if (!actual.isObject()) {
                return false;
            }
            for (Map.Entry<String, JsonNode> field : expected.properties()) {
                if (!matches(field.getValue(), actual.get(field.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (expected.isArray()) {
            if (!actual.isArray() || actual.size() != expected.size()) {
                return false;
            }
            for (int i = 0; i < expected.size(); i++) {
                if (!matches(expected.get(i), actual.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return text(expected).equals(text(actual));
    }

    private static String text(JsonNode node) {
        return node.isValueNode() ? node.asString() : node.toString();
    }
}
