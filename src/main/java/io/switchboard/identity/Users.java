package io.switchboard.identity;

import io.switchboard.database.RecordRows;
import io.switchboard.database.TenantScope;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import io.switchboard.refusal.InvalidInput;
import io.switchboard.refusal.Conflict;
import io.switchboard.refusal.NotFound;

/** The people of an organization, and how a person signs in. */
@Service
public class Users {

    private static final String COLUMNS = "id, organization_id, email, name, role, active, available, created_at";

    private final JdbcClient jdbc;
    private final PasswordEncoder passwords;

    Users(JdbcClient jdbc, PasswordEncoder passwords) {
        this.jdbc = jdbc;
        this.passwords = passwords;
    }

    /**
     * Creates a user in the organization; the e-mail must be new to it (another organization may have a person with
     * the same address — whether it does is never told).
     */
    public User create(UUID organizationId, String email, String name, String password, Role role) {
        if (password == null || password.length() < 8) {
            throw new InvalidInput("password must have at least 8 characters");
        }
        try {
            return TenantScope.call(organizationId, () -> jdbc.sql("""
                            insert into users (organization_id, email, name, password_hash, role)
                            values (?, ?, ?, ?, ?) returning """ + " " + COLUMNS)
                    .params(organizationId, email.trim(), name.trim(), passwords.encode(password), role.name())
                    .query(RecordRows.of(User.class)).single());
        } catch (DuplicateKeyException e) {
            throw new Conflict("a user with e-mail " + email + " already exists in this organization");
        }
    }

    /** Remembers when the person last received a conversation (distribution picks the longest-waiting person). */
    public void markAssigned(UUID id) {
        jdbc.sql("update users set last_assigned_at = now() where id = ?").param(id).update();
    }

    public Optional<User> find(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from users where id = ?").param(id).query(RecordRows.of(User.class)).optional();
    }

    public List<User> list() {
        return jdbc.sql("select " + COLUMNS + " from users where organization_id = ? order by name")
                .param(TenantScope.requireOrganization()).query(RecordRows.of(User.class)).list();
    }

    /** Whether the current organization has a person with this e-mail (other organizations are not looked at). */
    public boolean exists(String email) {
        return jdbc.sql("select count(*) from users where organization_id = ? and lower(email) = lower(?)")
                .params(TenantScope.requireOrganization(), email).query(Integer.class).single() > 0;
    }

    /** A deactivated person's sessions end at once (their next request is refused); a role change applies to it. */
    public User update(UUID id, String name, Role role, Boolean active, Boolean available) {
        return jdbc.sql("""
                        update users set name = coalesce(?, name), role = coalesce(?, role),
                               session_epoch = session_epoch + case when ? = false then 1 else 0 end,
                               active = coalesce(?, active), available = coalesce(?, available)
                        where id = ? returning """ + " " + COLUMNS)
                .params(name, role == null ? null : role.name(), active, active, available, id)
                .query(RecordRows.of(User.class)).optional()
                .orElseThrow(() -> new NotFound("user " + id + " not found"));
    }

    /**
     * Form login: every account with this e-mail, across organizations (the person has not chosen one yet), each
     * with its password hash for {@link EmailPasswordSignIn} to check.
     */
    List<Caller> signInCandidates(String email) {
        return TenantScope.asSystem(() -> jdbc.sql(SIGN_IN + " where lower(u.email) = lower(?) order by o.name")
                .param(email == null ? "" : email.strip()).query(Users::signedIn).list());
    }

    /** The person as they are now, for a session opened after they chose among their organizations. */
    Optional<Caller> signInAs(UUID userId) {
        return TenantScope.asSystem(() -> jdbc.sql(SIGN_IN + " where u.id = ?").param(userId).query(Users::signedIn).optional());
    }

    /**
     * The session's person as they are now (role, active flag, organization status), or empty when the session
     * must end: the person is gone or deactivated, their organization suspended, or they signed out everywhere
     * (or changed their password) since the session was opened.
     */
    Optional<Caller> current(Caller session) {
        return TenantScope.asSystem(() -> jdbc.sql(SIGN_IN + " where u.id = ?").param(session.userId())
                .query(Users::signedIn).optional()
                .filter(now -> now.isEnabled() && now.sessionEpoch() == session.sessionEpoch()));
    }

    /** Ends every session of the person (the one in use included): they sign in again. */
    public void signOutEverywhere(UUID id) {
        jdbc.sql("update users set session_epoch = session_epoch + 1 where id = ?").param(id).update();
    }

    /** Changes a person's password after checking the current one; their open sessions end. */
    public void changePassword(UUID id, String currentPassword, String newPassword) {
        if (newPassword == null || newPassword.length() < 8) {
            throw new InvalidInput("new_password must have at least 8 characters");
        }
        String hash = jdbc.sql("select password_hash from users where id = ?").param(id).query(String.class).optional()
                .orElseThrow(() -> new NotFound("user " + id + " not found"));
        if (currentPassword == null || !passwords.matches(currentPassword, hash)) {
            throw new InvalidInput("current_password is not your current password");
        }
        jdbc.sql("update users set password_hash = ?, session_epoch = session_epoch + 1 where id = ?")
                .params(passwords.encode(newPassword), id).update();
    }

    /** Makes the person an instance operator (the first administrator, created by the setup page). */
    void makeOperator(UUID id) {
        TenantScope.runAsSystem(() -> jdbc.sql("update users set instance_operator = true where id = ?").param(id).update());
    }

    private static final String SIGN_IN = """
            select u.organization_id, u.id, u.email, u.name, u.role, u.active and o.status = 'ACTIVE',
                   u.instance_operator, u.session_epoch, u.password_hash
            from users u join organizations o on o.id = u.organization_id""";

    private static Caller signedIn(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new Caller(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                Role.valueOf(rs.getString(5)), Caller.Kind.SESSION, rs.getBoolean(6), rs.getBoolean(7), rs.getInt(8),
                rs.getString(9));
    }
}
