package io.switchboard.integration;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills {@code {{args.x}}}, {@code {{contact.email}}}, {@code {{conversation.id}}} and {@code {{secret.NAME}}}
 * in an admin's URL, header or body template, each escaped for where it lands (URL-encoded in a URL, JSON
 * string content in a body). A secret the connection lacks is an error, never an empty header.
 */
final class Placeholders {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([a-z]+)\\.([A-Za-z0-9_]+)\\s*}}");

    /** How a value is escaped for where it lands. */
    enum Escaping {
        URL(value -> URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20")),
        JSON_STRING(value -> {
            String quoted = tools.jackson.databind.node.JsonNodeFactory.instance.stringNode(value).toString();
            return quoted.substring(1, quoted.length() - 1);
        }),
        NONE(UnaryOperator.identity());

        private final UnaryOperator<String> escape;

        Escaping(UnaryOperator<String> escape) {
            this.escape = escape;
        }
    }

    private Placeholders() {
    }

    /**
     * @param values   {@code args.*}, {@code contact.*} and {@code conversation.*} values by their full name
     * @param secrets  the connection's secrets by name
     */
    static String fill(String template, Map<String, String> values, Map<String, String> secrets, Escaping escaping,
                       String connectionName) {
        if (template == null) {
            return null;
        }
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder filled = new StringBuilder();
        while (matcher.find()) {
            String scope = matcher.group(1);
            String name = matcher.group(2);
            String value;
            if (scope.equals("secret")) {
                value = secrets.get(name);
                if (value == null) {
                    throw new IntegrationCallFailed("the secret '" + name + "' is not set on the integration "
                            + (connectionName == null ? "(none chosen)" : "'" + connectionName + "'"));
                }
            } else {
                value = values.getOrDefault(scope + "." + name, "");
            }
            matcher.appendReplacement(filled, Matcher.quoteReplacement(escaping.escape.apply(value)));
        }
        matcher.appendTail(filled);
        return filled.toString();
    }
}
