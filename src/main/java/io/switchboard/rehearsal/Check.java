package io.switchboard.rehearsal;

import java.util.List;

/**
 * One expectation of a scenario checked against a run: which {@link Kind}, its parameters (tool, text, limit),
 * whether it held, and what actually happened as data ({@code actual}: the calls made, the answers, the figure).
 * The UI words both in the reader's language from the kind; {@link #description()} is the English for the API,
 * the command line and JUnit reports.
 */
record Check(Kind kind, List<String> args, boolean passed, List<String> actual) {

    enum Kind {
        TOOL_CALLED("calls %s with %s", "it called %s", "no tool was called"),
        TOOL_NOT_CALLED("does not call %s with %s", "it called %s", "no tool was called"),
        CONTAINS("answers contain \"%s\"", "the answers were: %s", "no answer was given"),
        NOT_CONTAINS("answers do not contain \"%s\"", "the answers were: %s", "no answer was given"),
        OUTCOME("ends %s%s", "it ended %s%s", ""),
        MAX_ROUNDS("at most %s model rounds", "it took %s", ""),
        MAX_TOKENS("at most %s tokens", "it used %s", ""),
        MAX_COST("costs at most US$ %s", "it cost US$ %s", "its cost is unknown (a model without a price)"),
        FIXTURES("every tool call answered by a fixture", "no fixture answered %s", ""),
        JUDGE("a judge model finds that %s", "it found: %s", "the judge model gave no verdict");

        private final String english;
        private final String happened;
        private final String nothing;

        Kind(String english, String happened, String nothing) {
            this.english = english;
            this.happened = happened;
            this.nothing = nothing;
        }

        @com.fasterxml.jackson.annotation.JsonValue
        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Whether nothing happened that the expectation looked for (no call, no answer, no known cost). */
    public boolean nothing() {
        return actual.isEmpty() || actual.get(0) == null || actual.get(0).isBlank();
    }

    @com.fasterxml.jackson.annotation.JsonProperty("description")
    public String description() {
        return kind.english.formatted(english(args)) + (passed ? ""
                : " — but " + (nothing() ? kind.nothing : kind.happened.formatted(english(actual))));
    }

    /** An outcome's second argument is a reason (expected or given), worded only when there is one. */
    private Object[] english(List<String> values) {
        if (kind != Kind.OUTCOME) {
            return values.toArray();
        }
        String reason = values.size() > 1 ? values.get(1) : "";
        return new Object[] {values.get(0), reason.isBlank() ? "" : values == args ? " (reason containing \"" + reason + "\")" : " (" + reason + ")"};
    }
}
