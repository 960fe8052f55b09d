package io.switchboard.identity;

import io.switchboard.database.TenantScope;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import io.switchboard.refusal.InvalidInput;
import io.switchboard.refusal.Conflict;
import io.switchboard.refusal.NotFound;

/** The people of an organization, and how a person signs in. */
@Service
public class Users implements UserDetailsService {

    private static final String COLUMNS = "id, organization_id, email, name, role, active, available, created_at";

    private final JdbcClient jdbc;
    private final PasswordEncoder passwords;

    Users(JdbcClient jdbc, PasswordEncoder passwords) {
        this.jdbc = jdbc;
        this.passwords = passwords;
    }

    /** Creates a user in the current tenant; the e-mail must be new to the whole installation. */
    public User create(UUID organizationId, String email, String name, String password, Role role) {
        if (password == null || password.length() < 8) {
            throw new InvalidInput("password must have at least 8 characters");
        }
        try {
            return TenantScope.call(organizationId, () -> jdbc.sql("""
                            insert into users (organization_id, email, name, password_hash, role)
                            values (?, ?, ?, ?, ?) returning """ + " " + COLUMNS)
                    .params(organizationId, email.trim(), name.trim(), passwords.encode(password), role.name())
                    .query(User.class).single());
        } catch (DuplicateKeyException e) {
            throw new Conflict("a user with e-mail " + email + " already exists");
        }
    }

    /** Remembers when the person last received a conversation (distribution picks the longest-waiting person). */
    public void markAssigned(UUID id) {
        jdbc.sql("update users set last_assigned_at = now() where id = ?").param(id).update();
    }

    public Optional<User> find(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from users where id = ?").param(id).query(User.class).optional();
    }

    public List<User> list() {
        return jdbc.sql("select " + COLUMNS + " from users where organization_id = ? order by name")
                .param(TenantScope.requireOrganization()).query(User.class).list();
    }

    public boolean exists(String email) {
        return TenantScope.asSystem(() -> jdbc.sql("select count(*) from users where lower(email) = lower(?)")
                .param(email).query(Integer.class).single() > 0);
    }

    public User update(UUID id, String name, Role role, Boolean active, Boolean available) {
        return jdbc.sql("""
                        update users set name = coalesce(?, name), role = coalesce(?, role),
                               active = coalesce(?, active), available = coalesce(?, available)
                        where id = ? returning """ + " " + COLUMNS)
                .params(name, role == null ? null : role.name(), active, available, id)
                .query(User.class).optional()
                .orElseThrow(() -> new NotFound("user " + id + " not found"));
    }

    /** Form login: the e-mail is looked up across tenants, since the person has not chosen one yet. */
    @Override
    public Caller loadUserByUsername(String email) {
        return TenantScope.asSystem(() -> jdbc.sql("""
                        select organization_id, id, email, name, role, active, password_hash
                        from users where lower(email) = lower(?)""")
                .param(email)
                .query((rs, n) -> new Caller(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getString(3), rs.getString(4), Role.valueOf(rs.getString(5)), Caller.Kind.SESSION,
                        rs.getBoolean(6), rs.getString(7)))
                .optional()
                .orElseThrow(() -> new UsernameNotFoundException("no user " + email)));
    }
}
