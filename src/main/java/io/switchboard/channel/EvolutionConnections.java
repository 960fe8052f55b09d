package io.switchboard.channel;

import io.switchboard.channel.provider.EvolutionInstanceApi;
import io.switchboard.channel.provider.EvolutionInstanceApi.State;
import io.switchboard.channel.provider.EvolutionInstanceApi.Status;
import io.switchboard.channel.provider.MalformedPayloadException;
import io.switchboard.database.TenantScope;
import io.switchboard.outbound.OutboundGuard;
import io.switchboard.refusal.InvalidInput;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * WhatsApp by QR code without a separate manager: connects an Evolution account's instance (creating it with our
 * webhook when needed), keeps the QR code to scan and the connection state Evolution reports
 * ({@code CONNECTION_UPDATE}, {@code QRCODE_UPDATED}), and logs out.
 */
@Service
public class EvolutionConnections {

    private static final Logger log = LoggerFactory.getLogger(EvolutionConnections.class);

    private final ChannelAccounts accounts;
    private final JdbcClient jdbc;
    private final EvolutionInstanceApi api;

    EvolutionConnections(ChannelAccounts accounts, JdbcClient jdbc, OutboundGuard guard) {
        this.accounts = accounts;
        this.jdbc = jdbc;
        this.api = new EvolutionInstanceApi(guard::refusal);
    }

    /** The last known connection of an account: state, the QR code while one must be scanned, and why not when stuck. */
    public record Connection(UUID channelAccountId, String state, String qrCode, String pairingCode, String detail, Instant updatedAt) {

        public boolean connected() {
            return State.CONNECTED.code().equals(state);
        }
    }

    /** What we know; {@code disconnected} until Evolution said anything. */
    public Connection of(UUID accountId) {
        evolutionAccount(accountId);
        return jdbc.sql("select channel_account_id, state, qr_code, pairing_code, detail, updated_at from evolution_connections where channel_account_id = ?")
                .param(accountId)
                .query((rs, n) -> new Connection(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getTimestamp(6).toInstant()))
                .optional().orElse(new Connection(accountId, State.DISCONNECTED.code(), null, null, null, null));
    }

    /**
     * Asks Evolution for a QR code (or learns it is already connected).
     *
     * @param webhookUrl our webhook for this account, set on an instance created here
     * @throws InvalidInput when Evolution cannot be reached or refuses, with its reason
     */
    public Connection connect(UUID accountId, String webhookUrl) {
        ChannelAccount account = evolutionAccount(accountId);
        var secrets = accounts.secrets(account);
        Status status = evolution(() -> api.connect(account.configValue("base_url"), secrets.get("api_key"),
                account.configValue("instance"), webhookUrl, secrets.get("webhook_secret")));
        record(account, status);
        return of(accountId);
    }

    /** Asks Evolution where the instance stands now (the webhook may have been missed). */
    public Connection refresh(UUID accountId) {
        ChannelAccount account = evolutionAccount(accountId);
        Status status = evolution(() -> api.connectionState(account.configValue("base_url"), accounts.secrets(account).get("api_key"),
                account.configValue("instance")));
        record(account, status);
        return of(accountId);
    }

    public Connection logout(UUID accountId) {
        ChannelAccount account = evolutionAccount(accountId);
        evolution(() -> {
            api.logout(account.configValue("base_url"), accounts.secrets(account).get("api_key"), account.configValue("instance"));
            return null;
        });
        record(account, new Status(State.DISCONNECTED, null, null, null));
        return of(accountId);
    }

    /** Called with every verified Evolution webhook: connection news is recorded, everything else ignored here. */
    void onWebhook(ChannelAccount account, byte[] body) {
        Optional<Status> status;
        try {
            status = api.fromWebhook(body);
        } catch (MalformedPayloadException e) {
            return; // the message parser already answered 400 for it
        }
        status.ifPresent(s -> TenantScope.run(account.organizationId(), () -> record(account, s)));
    }

    private void record(ChannelAccount account, Status status) {
        // 'connecting' after a QR code keeps the code: Baileys reports connecting while the code waits to be scanned
        jdbc.sql("""
                insert into evolution_connections (channel_account_id, organization_id, state, qr_code, pairing_code, detail, updated_at)
                values (?, ?, ?, ?, ?, ?, now())
                on conflict (channel_account_id) do update set state = excluded.state,
                    qr_code = case when excluded.state = 'connecting' then coalesce(excluded.qr_code, evolution_connections.qr_code)
                                   else excluded.qr_code end,
                    pairing_code = case when excluded.state = 'connecting' then coalesce(excluded.pairing_code, evolution_connections.pairing_code)
                                   else excluded.pairing_code end,
                    detail = excluded.detail, updated_at = now()""")
                .params(account.id(), account.organizationId(), status.state().code(), status.qrCode(), status.pairingCode(), status.detail())
                .update();
        log.info("Evolution account {} is {}", account.id(), status.state().code());
    }

    private ChannelAccount evolutionAccount(UUID accountId) {
        ChannelAccount account = accounts.find(accountId);
        if (account.type() != ChannelType.EVOLUTION) {
            throw new InvalidInput("channel account " + accountId + " is not an Evolution API account");
        }
        return account;
    }

    private static <T> T evolution(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (EvolutionInstanceApi.Failure e) {
            throw new InvalidInput(e.getMessage());
        }
    }
}
