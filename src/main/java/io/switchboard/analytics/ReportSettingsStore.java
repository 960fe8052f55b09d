package io.switchboard.analytics;

import io.switchboard.identity.Settings;
import io.switchboard.refusal.InvalidInput;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads and writes {@link ReportSettings} as the organization's {@code analytics} setting (current tenant). */
@Component
class ReportSettingsStore {

    static final String KEY = "analytics";

    private final Settings settings;
    private final JsonMapper json;
    private final ZoneId defaultZone;

    ReportSettingsStore(Settings settings, JsonMapper json,
                        @Value("${switchboard.analytics.default-time-zone:America/Sao_Paulo}") String defaultZone) {
        this.settings = settings;
        this.json = json;
        this.defaultZone = ZoneId.of(defaultZone);
    }

    ReportSettings current() {
        JsonNode node = settings.json(KEY).map(json::readTree).orElse(null);
        if (node == null) {
            return new ReportSettings(defaultZone, false, ReportSettings.CsatScale.NUMERIC);
        }
        ZoneId zone = node.hasNonNull("time_zone") ? zone(node.get("time_zone").asString()) : defaultZone;
        boolean csat = node.hasNonNull("csat_enabled") && node.get("csat_enabled").asBoolean();
        ReportSettings.CsatScale scale = node.hasNonNull("csat_scale")
                ? scale(node.get("csat_scale").asString()) : ReportSettings.CsatScale.NUMERIC;
        return new ReportSettings(zone, csat, scale);
    }

    ReportSettings save(String timeZone, Boolean csatEnabled, String csatScale) {
        ReportSettings now = current();
        ReportSettings next = new ReportSettings(timeZone == null ? now.timeZone() : zone(timeZone),
                csatEnabled == null ? now.csatEnabled() : csatEnabled,
                csatScale == null ? now.csatScale() : scale(csatScale));
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("time_zone", next.timeZone().getId());
        value.put("csat_enabled", next.csatEnabled());
        value.put("csat_scale", next.csatScale().db());
        settings.putJson(KEY, json.writeValueAsString(value));
        return next;
    }

    private static ZoneId zone(String id) {
        try {
            return ZoneId.of(id);
        } catch (DateTimeException e) {
            throw new InvalidInput("time_zone must be an IANA time zone such as America/Sao_Paulo, not '" + id + "'");
        }
    }

    private static ReportSettings.CsatScale scale(String value) {
        try {
            return ReportSettings.CsatScale.valueOf(value.trim().toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("csat_scale must be 'numeric' or 'emoji', not '" + value + "'");
        }
    }
}
