package io.switchboard.channel;

import io.switchboard.conversation.QueueTab;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** CRUD of channel accounts (ADMIN); responses show the webhook URLs to paste into the provider. */
@RestController
@RequestMapping("/api/v1/channel_accounts")
@PreAuthorize("hasRole('ADMIN')")
class ChannelAccountApi {

    private final ChannelAccounts accounts;
    private final WebhookUrls urls;

    ChannelAccountApi(ChannelAccounts accounts, WebhookUrls urls) {
        this.accounts = accounts;
        this.urls = urls;
    }

    record NewAccount(@NotNull ChannelType type, @NotBlank @Size(max = 200) String name, Map<String, Object> config,
                      UUID defaultAiAgentId, QueueTab queueTab, Boolean reopenClosed,
                      @Min(1) Integer inactivityCloseMinutes, Boolean enabled) {
    }

    record AccountChange(@Size(min = 1, max = 200) String name, Map<String, Object> config, UUID defaultAiAgentId,
                         QueueTab queueTab, Boolean reopenClosed, @Min(1) Integer inactivityCloseMinutes, Boolean enabled) {
    }

    record AccountView(UUID id, String type, String name, Map<String, Object> config, Set<String> secretsSet,
                       UUID defaultAiAgentId, QueueTab queueTab, boolean reopenClosed, Integer inactivityCloseMinutes,
                       boolean enabled, Map<String, String> webhookUrls, Instant createdAt) {
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    AccountView create(@Valid @RequestBody NewAccount body, HttpServletRequest request) {
        return view(accounts.create(new ChannelAccounts.Draft(body.type(), body.name(), body.config(),
                body.defaultAiAgentId(), body.queueTab(), body.reopenClosed(), body.inactivityCloseMinutes(),
                body.enabled())), request);
    }

    @GetMapping
    List<AccountView> list(HttpServletRequest request) {
        return accounts.list().stream().map(a -> view(a, request)).toList();
    }

    @GetMapping("/{id}")
    AccountView get(@PathVariable UUID id, HttpServletRequest request) {
        return view(accounts.find(id), request);
    }

    @PatchMapping("/{id}")
    AccountView update(@PathVariable UUID id, @Valid @RequestBody AccountChange body, HttpServletRequest request) {
        return view(accounts.update(id, new ChannelAccounts.Draft(null, body.name(), body.config(), body.defaultAiAgentId(),
                body.queueTab(), body.reopenClosed(), body.inactivityCloseMinutes(), body.enabled())), request);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable UUID id) {
        accounts.delete(id);
    }

    private AccountView view(ChannelAccount account, HttpServletRequest request) {
        return new AccountView(account.id(), account.type().code(), account.name(), account.config(), account.secretsSet(),
                account.defaultAiAgentId(), account.queueTab(), account.reopenClosed(), account.inactivityCloseMinutes(),
                account.enabled(), urls.forAccount(account, request), account.createdAt());
    }
}
