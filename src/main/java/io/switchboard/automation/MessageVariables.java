package io.switchboard.automation;

import io.switchboard.contact.Contact;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code {{contact.name}}}, {@code {{contact.first_name}}}, {@code {{contact.phone}}}, {@code {{contact.email}}} and
 * {@code {{contact.<custom attribute>}}} in a text, replaced by the contact's values (empty when unknown).
 */
record MessageVariables(Contact contact, Map<String, String> attributes) {

    private static final Pattern VARIABLE = Pattern.compile("\\{\\{\\s*contact\\.([A-Za-z0-9_]+)\\s*}}");

    String render(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(value(m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }

    private String value(String name) {
        String v = switch (name) {
            case "name" -> contact == null ? null : contact.name();
            case "first_name" -> contact == null || contact.name() == null ? null : contact.name().strip().split("\\s+")[0];
            case "phone" -> contact == null ? null : contact.phone();
            case "email" -> contact == null ? null : contact.email();
            default -> attributes.get(name);
        };
        return v == null ? "" : v;
    }
}
