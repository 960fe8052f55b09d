package io.switchboard.automation;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Loop protection. While a rule's (or an intent's) actions run, this thread knows it: events those actions publish
 * (synchronously, on this thread) are scheduled one level deeper and remember the rules that led to them, so a rule
 * never re-triggers itself through its own actions, and a chain of rules stops at {@link #MAX_DEPTH}.
 */
final class RunOrigin {

    static final int MAX_DEPTH = 3;

    /** How deep in a chain of automations an event is, and the rules that caused it. */
    record Origin(int depth, List<UUID> ancestors) {

        static final Origin TOP = new Origin(0, List.of());

        Origin child(UUID ruleId) {
            List<UUID> chain = new ArrayList<>(ancestors);
            if (ruleId != null) {
                chain.add(ruleId);
            }
            return new Origin(depth + 1, List.copyOf(chain));
        }
    }

    private static final ThreadLocal<Origin> RUNNING = new ThreadLocal<>();

    private RunOrigin() {
    }

    /** The origin of an event published now: the running automation's child, or the top. */
    static Origin ofEventNow() {
        Origin running = RUNNING.get();
        return running == null ? Origin.TOP : running;
    }

    /** Runs {@code actions} as the given origin (events they publish are its children). */
    static void during(Origin origin, Runnable actions) {
        Origin before = RUNNING.get();
        RUNNING.set(origin);
        try {
            actions.run();
        } finally {
            if (before == null) {
                RUNNING.remove();
            } else {
                RUNNING.set(before);
            }
        }
    }
}
