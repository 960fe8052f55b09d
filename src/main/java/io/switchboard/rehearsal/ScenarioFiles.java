package io.switchboard.rehearsal;

import io.switchboard.refusal.InvalidInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Scenario files as a company keeps them in its repository: YAML (one scenario per document, or a list) or JSON
 * (one object, a list, or {@code {"scenarios": [...]}}). YAML is read safely: plain data only, no tags.
 */
final class ScenarioFiles {

    private ScenarioFiles() {
    }

    /** The scenarios in a file's text, each as JSON. */
    static List<JsonNode> read(String text, JsonMapper json) {
        if (text == null || text.isBlank()) {
            throw new InvalidInput("the file is empty");
        }
        List<JsonNode> found = new ArrayList<>();
        String trimmed = text.strip();
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
            try {
                collect(json.readTree(trimmed), found);
            } catch (tools.jackson.core.JacksonException e) {
                throw new InvalidInput("the file is not valid JSON: " + e.getOriginalMessage());
            }
        } else {
            try {
                for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(text)) {
                    if (document != null) {
                        collect(json.valueToTree(document), found);
                    }
                }
            } catch (YAMLException e) {
                throw new InvalidInput("the file is not valid YAML: " + e.getMessage());
            }
        }
        if (found.isEmpty()) {
            throw new InvalidInput("the file holds no scenario");
        }
        return found;
    }

    private static void collect(JsonNode node, List<JsonNode> into) {
        if (node.isArray()) {
            node.forEach(into::add);
        } else if (node.isObject() && node.has("scenarios") && !node.has("turns")) {
            node.get("scenarios").forEach(into::add);
        } else {
            into.add(node);
        }
    }

    /** Plain data written as YAML or JSON (YAML reads both), e.g. the playground's fixtures; null when blank. */
    static JsonNode data(String text, JsonMapper json) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            Object data = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
            return data == null ? null : json.valueToTree(data);
        } catch (YAMLException e) {
            throw new InvalidInput("not valid YAML or JSON: " + e.getMessage());
        }
    }

    static String yaml(List<Map<String, Object>> scenarios) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setWidth(120);
        options.setAllowUnicode(true);
        return new Yaml(options).dumpAll(scenarios.iterator());
    }
}
