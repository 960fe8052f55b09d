package io.switchboard.analytics;

import java.time.ZoneId;

/**
 * An organization's report settings: the time zone whose days the reports are cut in, and the CSAT survey sent
 * when a conversation closes.
 */
public record ReportSettings(ZoneId timeZone, boolean csatEnabled, CsatScale csatScale) {

    /** How the customer answers the survey: a digit from 1 to 5, or one of five faces. */
    public enum CsatScale {
        NUMERIC, EMOJI;

        public String db() {
            return name().toLowerCase();
        }
    }
}
