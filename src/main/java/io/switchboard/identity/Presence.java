package io.switchboard.identity;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.switchboard.database.TenantScope;
import io.switchboard.refusal.InvalidInput;
import io.switchboard.refusal.NotFound;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Whether a person is at work: online (receives conversations), away (keeps theirs, gets no new ones) or
 * offline. A person sets it in the inbox header; opening the live inbox brings an offline person online, and
 * {@link #markGoneOffline} takes people offline whose every live inbox stream has been gone for a while.
 * Changes are published as {@link PresenceChanged}.
 */
@Service
public class Presence {

    public enum Status {
        ONLINE, AWAY, OFFLINE;

        @JsonValue
        public String db() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Status parse(String value) {
            return Arrays.stream(values()).filter(s -> s.db().equalsIgnoreCase(value == null ? "" : value.strip()))
                    .findFirst()
                    .orElseThrow(() -> new InvalidInput("presence must be one of online, away, offline"));
        }
    }

    /** One person's presence, as admins see it. */
    public record PersonPresence(UUID userId, String name, String email, Role role, boolean active, Status status,
                                 Instant since) {
    }

    /** A person's presence changed (published in the transaction that changed it). */
    public record PresenceChanged(UUID organizationId, UUID userId, Status status) {
    }

    private static final String COLUMNS = "id, name, email, role, active, presence, presence_since";

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;

    Presence(JdbcClient jdbc, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    /**
     * Sets a person's presence in the current tenant. Also counts as "seen now", so a presence set through the
     * API lasts the offline grace period even without an open inbox.
     */
    @Transactional
    public PersonPresence set(UUID userId, Status status) {
        UUID organizationId = TenantScope.requireOrganization();
        Status before = find(userId).status();
        PersonPresence after = jdbc.sql("""
                        update users set presence = ?, stream_seen_at = now(),
                               presence_since = case when presence = ? then presence_since else now() end
                        where id = ? and organization_id = ? returning """ + " " + COLUMNS)
                .params(status.db(), status.db(), userId, organizationId).query(this::row).single();
        if (before != status) {
            events.publishEvent(new PresenceChanged(organizationId, userId, status));
        }
        return after;
    }

    public PersonPresence find(UUID userId) {
        return jdbc.sql("select " + COLUMNS + " from users where id = ? and organization_id = ?")
                .params(userId, TenantScope.requireOrganization()).query(this::row).optional()
                .orElseThrow(() -> new NotFound("user " + userId + " not found"));
    }

    /** Everyone in the current tenant, online first. */
    public List<PersonPresence> list() {
        return jdbc.sql("select " + COLUMNS + " from users where organization_id = ? "
                        + "order by case presence when 'online' then 0 when 'away' then 1 else 2 end, name")
                .param(TenantScope.requireOrganization()).query(this::row).list();
    }

    /** A live inbox of the person opened: seen now, and an offline person comes online. */
    public void streamOpened(UUID organizationId, UUID userId) {
        TenantScope.run(organizationId, () -> {
            int cameOnline = jdbc.sql("""
                            update users set presence = 'online', presence_since = now(), stream_seen_at = now()
                            where id = ? and organization_id = ? and presence = 'offline' and active""")
                    .params(userId, organizationId).update();
            if (cameOnline > 0) {
                events.publishEvent(new PresenceChanged(organizationId, userId, Status.ONLINE));
            } else {
                jdbc.sql("update users set stream_seen_at = now() where id = ? and organization_id = ?")
                        .params(userId, organizationId).update();
            }
        });
    }

    /** The people whose live inbox streams are open on this node are still there (any tenant). */
    public void streamsSeen(Collection<UUID> userIds) {
        if (userIds.isEmpty()) {
            return;
        }
        TenantScope.runAsSystem(() -> jdbc.sql("update users set stream_seen_at = now() where id = any(?)")
                .param(userIds.toArray(UUID[]::new)).update());
    }

    /**
     * Takes offline everyone (any tenant) not offline whose live inbox has not been seen for {@code after}.
     * Safe to run on every node at once: each person changes once. Statements outside any transaction, since the
     * tenant scope is chosen when a connection is taken.
     */
    public int markGoneOffline(Duration after) {
        List<PresenceChanged> gone = TenantScope.asSystem(() -> jdbc.sql("""
                        update users set presence = 'offline', presence_since = now()
                        where presence <> 'offline' and (stream_seen_at is null or stream_seen_at < now() - make_interval(secs => ?))
                        returning organization_id, id""")
                .param((double) after.toMillis() / 1000)
                .query((rs, n) -> new PresenceChanged(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), Status.OFFLINE))
                .list());
        gone.forEach(events::publishEvent);
        return gone.size();
    }

    private PersonPresence row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new PersonPresence(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("email"),
                Role.valueOf(rs.getString("role")), rs.getBoolean("active"), Status.parse(rs.getString("presence")),
                rs.getTimestamp("presence_since").toInstant());
    }
}
