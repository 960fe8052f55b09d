package io.switchboard.identity;

import io.switchboard.database.RecordRows;
import io.switchboard.database.TenantScope;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import io.switchboard.refusal.NotFound;

/**
 * Issues and checks API tokens. Tokens are random 256-bit values shown once; the database keeps their
 * SHA-256 (no salt is needed for values with this much entropy, and it keeps lookup a single index hit).
 */
@Service
public class ApiTokens {

    public static final String PREFIX = "sb_";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String COLUMNS = "id, user_id, name, token_prefix, role, created_at, last_used_at, revoked_at";

    private final JdbcClient jdbc;

    ApiTokens(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A token just issued, with its secret value: the only time the value is available. */
    public record Issued(ApiToken token, String value) {
    }

    public Issued issue(UUID organizationId, UUID userId, String name, Role role) {
        return issue(organizationId, userId, userId, name, role, false);
    }

    /**
     * Issues a token. {@code createdBy} is the person who asked for it: whatever role the token names, it acts
     * with at most that person's role of the moment, and stops working when they are deactivated.
     */
    public Issued issue(UUID organizationId, UUID userId, UUID createdBy, String name, Role role, boolean operator) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String value = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        ApiToken token = insert(organizationId, userId, createdBy, name, role, operator, value)
                .orElseThrow(() -> new IllegalStateException("a fresh random token collided"));
        return new Issued(token, value);
    }

    /**
     * Registers a token whose value was chosen outside (the bootstrap token), unless it exists already. A
     * token revoked since stays revoked: a restart with the same configuration does not bring it back.
     *
     * @return the token, or empty when this value was registered before and has been revoked
     */
    public Optional<ApiToken> register(UUID organizationId, String name, Role role, boolean operator, String value) {
        if (value.length() < 16) {
            throw new IllegalArgumentException("an API token must have at least 16 characters");
        }
        insert(organizationId, null, null, name, role, operator, value);
        return TenantScope.asSystem(() -> jdbc.sql("select " + COLUMNS + " from api_tokens where token_hash = ? and revoked_at is null")
                .param(hash(value)).query(RecordRows.of(ApiToken.class)).optional());
    }

    private Optional<ApiToken> insert(UUID organizationId, UUID userId, UUID createdBy, String name, Role role,
                                      boolean operator, String value) {
        return TenantScope.call(organizationId, () -> jdbc.sql("""
                        insert into api_tokens (organization_id, user_id, created_by, name, token_hash, token_prefix, role,
                                                instance_operator)
                        values (?, ?, ?, ?, ?, ?, ?, ?)
                        on conflict (token_hash) do nothing
                        returning """ + " " + COLUMNS)
                .params(organizationId, userId, createdBy, name, hash(value), value.substring(0, Math.min(8, value.length())),
                        role.name(), operator)
                .query(RecordRows.of(ApiToken.class)).optional());
    }

    public List<ApiToken> list() {
        return jdbc.sql("select " + COLUMNS + " from api_tokens where organization_id = ? order by created_at")
                .param(TenantScope.requireOrganization()).query(RecordRows.of(ApiToken.class)).list();
    }

    public void revoke(UUID id) {
        int updated = jdbc.sql("update api_tokens set revoked_at = now() where id = ? and revoked_at is null")
                .param(id).update();
        if (updated == 0) {
            throw new NotFound("API token " + id + " not found or already revoked");
        }
    }

    /**
     * The caller a presented token stands for, if it is known, not revoked, its organization active and the
     * person behind it (its owner, or whoever issued an integration token) still active. The role is the lower
     * of the token's and that person's current role, so a demotion takes effect on the next request.
     */
    Optional<Caller> authenticate(String value) {
        // last_used_at is written at most once a minute, so a busy integration does not turn every call into a write
        return TenantScope.asSystem(() -> jdbc.sql("""
                        with found as (
                            select k.id, k.organization_id, k.user_id, k.name, k.last_used_at,
                                   case when k.role = 'ADMIN' and coalesce(p.role, 'ADMIN') = 'ADMIN' then 'ADMIN'
                                        else 'AGENT' end as role,
                                   k.instance_operator and coalesce(p.instance_operator, true) as operator
                            from api_tokens k
                            join organizations o on o.id = k.organization_id and o.status = 'ACTIVE'
                            left join users p on p.id = coalesce(k.user_id, k.created_by)
                            where k.token_hash = ? and k.revoked_at is null and (p.id is null or p.active)
                              and (coalesce(k.user_id, k.created_by) is null or p.id is not null)),
                        touched as (
                            update api_tokens t set last_used_at = now() from found f
                            where t.id = f.id and (f.last_used_at is null or f.last_used_at < now() - interval '1 minute'))
                        select f.organization_id, f.user_id, u.email, coalesce(u.name, f.name), f.role, f.operator
                        from found f left join users u on u.id = f.user_id""")
                .param(hash(value))
                .query((rs, n) -> {
                    UUID userId = rs.getObject(2, UUID.class);
                    return new Caller(rs.getObject(1, UUID.class), userId, rs.getString(3), rs.getString(4),
                            Role.valueOf(rs.getString(5)),
                            userId == null ? Caller.Kind.INTEGRATION_TOKEN : Caller.Kind.USER_TOKEN, true,
                            rs.getBoolean(6), 0, null);
                })
                .optional());
    }

    static String hash(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
