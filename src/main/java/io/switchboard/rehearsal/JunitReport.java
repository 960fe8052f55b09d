package io.switchboard.rehearsal;

import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * A JUnit XML report of agent test runs (the format CI servers read): one test suite per agent, one test case per
 * scenario and attempt, its failed checks and differences to the original conversation as the failure, its
 * answers as the output.
 */
final class JunitReport {

    private JunitReport() {
    }

    static String xml(List<AgentTestsCommand.Suite> suites) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
        for (AgentTestsCommand.Suite suite : suites) {
            long failures = suite.results().stream().filter(r -> !r.path("passed").asBoolean()).count();
            xml.append("  <testsuite name=\"").append(escape("agent " + suite.agentName())).append("\" tests=\"")
                    .append(suite.results().size()).append("\" failures=\"").append(failures).append("\" errors=\"0\" time=\"")
                    .append(seconds(suite.run().path("duration_ms").asLong())).append("\">\n");
            xml.append("    <properties>\n");
            property(xml, "run_id", suite.run().path("id").asString());
            property(xml, "cost_usd", suite.run().path("cost_usd").isNull() ? "unknown" : suite.run().path("cost_usd").asString());
            property(xml, "tokens", suite.run().path("tokens").asString());
            if (suite.run().path("repeat").asInt() > 1 && suite.run().hasNonNull("pass_hat_k")) {
                property(xml, "pass^" + suite.run().path("repeat").asInt(), suite.run().path("pass_hat_k").asString());
            }
            xml.append("    </properties>\n");
            for (JsonNode result : suite.results()) {
                JsonNode report = result.path("report");
                String name = result.path("name").asString() + (suite.run().path("repeat").asInt() > 1 ? " #" + result.path("attempt").asInt() : "")
                        + (report.path("non_deterministic").asBoolean() ? " (non-deterministic: simulated customer)" : "");
                xml.append("    <testcase classname=\"").append(escape(suite.agentName())).append("\" name=\"").append(escape(name))
                        .append("\" time=\"").append(seconds(result.path("duration_ms").asLong())).append("\">\n");
                if (!result.path("passed").asBoolean()) {
                    StringBuilder why = new StringBuilder();
                    if (report.hasNonNull("error")) {
                        why.append("could not run: ").append(report.get("error").asString()).append('\n');
                    }
                    report.path("checks").forEach(c -> {
                        if (!c.path("passed").asBoolean()) {
                            why.append("✗ ").append(c.path("description").asString()).append('\n');
                        }
                    });
                    report.path("differences").forEach(d -> why.append("≠ ")
                            .append(d.path("turn").asInt() < 0 ? "" : "turn " + (d.path("turn").asInt() + 1) + " ")
                            .append(d.path("field").asString()).append(": was «").append(d.path("original").asString(""))
                            .append("», now «").append(d.path("now").asString("")).append("»\n"));
                    String first = why.toString().lines().findFirst().orElse("failed");
                    xml.append("      <failure message=\"").append(escape(first)).append("\">").append(escape(why.toString()))
                            .append("</failure>\n");
                }
                StringBuilder said = new StringBuilder();
                report.path("turns").forEach(t -> {
                    t.path("customer").forEach(m -> said.append("customer: ").append(m.asString()).append('\n'));
                    t.path("tool_calls").forEach(c -> said.append("tool: ").append(c.path("tool").asString()).append(' ')
                            .append(c.path("arguments").asString()).append('\n'));
                    said.append("agent: ").append(t.path("answer").asString("(no answer)")).append('\n');
                });
                said.append("outcome: ").append(report.path("outcome").path("kind").asString("?")).append('\n');
                xml.append("      <system-out>").append(escape(said.toString())).append("</system-out>\n");
                xml.append("    </testcase>\n");
            }
            xml.append("  </testsuite>\n");
        }
        return xml.append("</testsuites>\n").toString();
    }

    private static void property(StringBuilder xml, String name, String value) {
        xml.append("      <property name=\"").append(escape(name)).append("\" value=\"").append(escape(value)).append("\"/>\n");
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
    }

    private static String escape(String text) {
        StringBuilder escaped = new StringBuilder();
        for (char c : (text == null ? "" : text).toCharArray()) {
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                default -> {
                    if (c >= 0x20 || c == '\n' || c == '\t' || c == '\r') {
                        escaped.append(c);
                    }
                }
            }
        }
        return escaped.toString();
    }
}
