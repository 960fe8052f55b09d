package io.switchboard.rehearsal;

import java.util.List;

/**
 * One expectation of a scenario checked against a run: which {@link Kind}, its parameters (tool, text, limit),
 * whether it held, and what actually happened (data, not prose: the calls made, the answers, the figure). The
 * UI words it in the reader's language from the kind; {@link #description()} is the English for the API, the
 * command line and JUnit reports.
 */
record Check(Kind kind, List<String> args, boolean passed, String actual) {

    enum Kind {
        TOOL_CALLED("calls %s with %s"),
        TOOL_NOT_CALLED("does not call %s with %s"),
        CONTAINS("answers contain \"%s\""),
        NOT_CONTAINS("answers do not contain \"%s\""),
        OUTCOME("ends %s (reason containing \"%s\")"),
        MAX_ROUNDS("at most %s model rounds"),
        MAX_TOKENS("at most %s tokens"),
        MAX_COST("costs at most US$ %s"),
        FIXTURES("every tool call answered by a fixture");

        private final String english;

        Kind(String english) {
            this.english = english;
        }

        @com.fasterxml.jackson.annotation.JsonValue
        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @com.fasterxml.jackson.annotation.JsonProperty("description")
    public String description() {
        return kind.english.formatted(args.toArray()) + (passed ? "" : " — but " + actual);
    }
}
