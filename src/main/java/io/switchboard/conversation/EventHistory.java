package io.switchboard.conversation;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** A conversation's history of non-message events (handoffs, reactivations, discards, withheld messages). */
@Component
class EventHistory {

    private final JdbcClient jdbc;
    private final JsonMapper json;

    EventHistory(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    void record(UUID conversationId, String type, String actorType, UUID actorId, String dataJson) {
        jdbc.sql("""
                insert into conversation_events (organization_id, conversation_id, type, actor_type, actor_id, data)
                select organization_id, id, ?, ?, ?, ?::jsonb from conversations where id = ?""")
                .params(type, actorType, actorId, dataJson, conversationId).update();
    }

    /** Event data as JSON, from alternating keys and values (null values are kept as JSON null). */
    String data(Object... keysAndValues) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            Object value = keysAndValues[i + 1];
            data.put((String) keysAndValues[i], value instanceof UUID id ? id.toString() : value);
        }
        return json.writeValueAsString(data);
    }
}
