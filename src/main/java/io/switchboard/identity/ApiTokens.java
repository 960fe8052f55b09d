package io.switchboard.identity;

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
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return register(organizationId, userId, name, role, PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    /** Registers a token whose value was chosen outside (the bootstrap token), unless it exists already. */
    public Issued register(UUID organizationId, UUID userId, String name, Role role, String value) {
        if (value.length() < 16) {
            throw new IllegalArgumentException("an API token must have at least 16 characters");
        }
        ApiToken token = TenantScope.call(organizationId, () -> jdbc.sql("""
                        insert into api_tokens (organization_id, user_id, name, token_hash, token_prefix, role)
                        values (?, ?, ?, ?, ?, ?)
                        on conflict (token_hash) do update set revoked_at = null
                        returning """ + " " + COLUMNS)
                .params(organizationId, userId, name, hash(value), value.substring(0, Math.min(8, value.length())), role.name())
                .query(ApiToken.class).single());
        return new Issued(token, value);
    }

    public List<ApiToken> list() {
        return jdbc.sql("select " + COLUMNS + " from api_tokens where organization_id = ? order by created_at")
                .param(TenantScope.requireOrganization()).query(ApiToken.class).list();
    }

    public void revoke(UUID id) {
        int updated = jdbc.sql("update api_tokens set revoked_at = now() where id = ? and revoked_at is null")
                .param(id).update();
        if (updated == 0) {
            throw new NotFound("API token " + id + " not found or already revoked");
        }
    }

    /** The caller a presented token stands for, if it is known and not revoked. */
    Optional<Caller> authenticate(String value) {
        // last_used_at is written at most once a minute, so a busy integration does not turn every call into a write
        return TenantScope.asSystem(() -> jdbc.sql("""
                        with found as (
                            select k.id, k.organization_id, k.user_id, k.name, k.role, k.last_used_at
                            from api_tokens k left join users u on u.id = k.user_id
                            where k.token_hash = ? and k.revoked_at is null and (k.user_id is null or u.active)),
                        touched as (
                            update api_tokens t set last_used_at = now() from found f
                            where t.id = f.id and (f.last_used_at is null or f.last_used_at < now() - interval '1 minute'))
                        select f.organization_id, f.user_id, u.email, coalesce(u.name, f.name), f.role
                        from found f left join users u on u.id = f.user_id""")
                .param(hash(value))
                .query((rs, n) -> {
                    UUID userId = rs.getObject(2, UUID.class);
                    return new Caller(rs.getObject(1, UUID.class), userId, rs.getString(3), rs.getString(4),
                            Role.valueOf(rs.getString(5)),
                            userId == null ? Caller.Kind.INTEGRATION_TOKEN : Caller.Kind.USER_TOKEN, true, null);
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
