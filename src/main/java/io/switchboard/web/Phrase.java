package io.switchboard.web;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A text for people, as a message key with its arguments, so pages say it in the reader's language. Reasons are
 * stored as English sentences (the AI's handoffs, CRM pauses, discarded answers, withheld messages); {@link #of}
 * recognises each sentence the application writes and gives its key. A sentence it does not know (a row older than
 * these rules, or free text) is shown as written: {@link #key} is then null and {@link #raw} holds it.
 *
 * @param detail technical detail (an exception, an HTTP status), shown apart and only once
 */
record Phrase(String key, List<Object> args, String raw, String detail) {

    private static final String ESCALATED = "Escalated: ";
    private static final String AI_FAILURE = "AI failure: ";

    private record Rule(Pattern pattern, String key) {
    }

    /** The sentences the application writes, each with its key; groups become the key's arguments. */
    private static final List<Rule> RULES = List.of(
            rule("the customer asked for a person \\(\"(.*)\"\\)", "reason.human_request"),
            rule("the conversation passed (\\d+) customer messages", "reason.max_messages"),
            rule("strongly negative sentiment \\(score (.*)\\)", "reason.sentiment"),
            rule("the conversation's AI agent is disabled", "reason.agent_disabled"),
            rule("no FAQ answer for the question and no LLM is configured", "reason.no_faq"),
            rule("the AI reached (\\d+) tool rounds without a final answer", "reason.tool_rounds"),
            rule("the AI transferred the conversation", "reason.ai_transferred"),
            rule("the AI agent is at its limit of (\\d+) conversations", "reason.agent_full"),
            rule("CRM: lead is in the human handoff stage", "reason.crm_handoff"),
            rule("a person has the conversation", "reason.person_has_it"),
            rule("the conversation is closed", "reason.closed"),
            rule("the AI is paused in this conversation", "reason.ai_paused"),
            rule("no AI agent owns the conversation", "reason.no_ai"),
            rule("a person took over the conversation", "reason.taken_over"),
            rule("a person took over", "reason.taken_over"),
            rule("a person took over during generation", "reason.taken_over_during_generation"),
            rule("the AI was paused during generation", "reason.paused_during_generation"),
            rule("another turn already answered", "reason.already_answered"),
            rule("not sent: a person took over or the AI was paused before delivery", "reason.not_sent_taken_over"));

    private static Rule rule(String regex, String key) {
        return new Rule(Pattern.compile(regex, Pattern.CASE_INSENSITIVE), key);
    }

    static Phrase key(String key, Object... args) {
        return new Phrase(key, List.of(args), null, null);
    }

    static Phrase of(String stored) {
        if (stored == null || stored.isBlank()) {
            return null;
        }
        String text = stored.strip();
        if (text.startsWith(AI_FAILURE)) {
            return aiFailure(text.substring(AI_FAILURE.length()));
        }
        if (text.startsWith(ESCALATED)) {
            String inner = text.substring(ESCALATED.length()).strip();
            Phrase known = known(inner);
            // anything else after "Escalated:" is the AI's own words when it transferred the conversation
            return known != null ? known : new Phrase("reason.ai_said", List.of(inner), null, null);
        }
        Phrase known = known(text);
        return known != null ? known : new Phrase(null, List.of(), text, null);
    }

    private static Phrase known(String text) {
        for (Rule rule : RULES) {
            Matcher m = rule.pattern().matcher(text);
            if (m.matches()) {
                Object[] args = new Object[m.groupCount()];
                for (int i = 0; i < args.length; i++) {
                    args[i] = m.group(i + 1);
                }
                return new Phrase(rule.key(), List.of(args), null, null);
            }
        }
        return null;
    }

    /**
     * The LLM failure sentences (the AI module's failure reasons, whose own sentences are English), by how each
     * begins; a test holds this list to the AI module's.
     */
    static final List<String[]> FAILURES = List.of(
            new String[] {"The LLM provider is rate limiting", "rate_limit"},
            new String[] {"The LLM account has no credit left", "quota_exhausted"},
            new String[] {"The LLM provider rejected the API key", "invalid_key"},
            new String[] {"The LLM provider is unavailable", "provider_unavailable"},
            new String[] {"The LLM provider did not answer in time", "timeout"},
            new String[] {"The LLM answered with neither text nor a tool call", "empty_answer"},
            new String[] {"The LLM provider rejected the request as invalid", "bad_request"},
            new String[] {"The LLM call failed for an unexpected reason", "other"});

    /** AI failure: {the failure's sentence.} (detail): the reason translated, the detail kept apart, once. */
    private static Phrase aiFailure(String rest) {
        for (String[] failure : FAILURES) {
            if (rest.startsWith(failure[0])) {
                int end = rest.indexOf(". ", failure[0].length());
                String detail = end < 0 ? "" : rest.substring(end + 2).strip();
                if (detail.startsWith("(") && detail.endsWith(")")) {
                    detail = detail.substring(1, detail.length() - 1);
                }
                return new Phrase("reason.ai_failure." + failure[1], List.of(), null,
                        detail.isBlank() ? null : once(detail));
            }
        }
        return new Phrase("reason.ai_failure", List.of(), null, once(rest));
    }

    /**
     * A detail such as java.net.ConnectException: refused: java.net.ConnectException: refused (an exception and
     * its cause saying the same) is shown once.
     */
    static String once(String detail) {
        String d = detail.strip();
        for (String separator : new String[] {": ", "; ", " | "}) {
            int half = d.length() / 2;
            for (int i = Math.max(1, half - separator.length()); i <= Math.min(d.length() - 1, half + separator.length()); i++) {
                if (d.startsWith(separator, i)) {
                    String left = d.substring(0, i);
                    String right = d.substring(i + separator.length());
                    if (left.equals(right)) {
                        return left;
                    }
                }
            }
        }
        return d;
    }

    public Object[] argsArray() {
        return args.toArray();
    }

    public boolean translated() {
        return key != null;
    }
}
