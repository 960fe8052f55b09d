package io.switchboard.channel;

import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Funnels;
import io.switchboard.refusal.InvalidInput;
import io.switchboard.database.TenantScope;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The API channel: an integration posts its customers' messages with a bearer token of the account's
 * organization. {@code external_id} makes a retried post harmless, like a provider's message id.
 */
@RestController
class ApiChannelInbound {

    private final ChannelAccounts accounts;
    private final Conversations conversations;
    private final Funnels funnels;

    ApiChannelInbound(ChannelAccounts accounts, Conversations conversations, Funnels funnels) {
        this.accounts = accounts;
        this.conversations = conversations;
        this.funnels = funnels;
    }

    record Sender(@NotBlank @Size(max = 200) String identifier, @Size(max = 200) String name, @Size(max = 40) String phone) {
    }

    /** {@code stageId}: the funnel stage a conversation this message opens starts in (the integration's choice wins). */
    record PostedMessage(@Size(max = 200) String externalId, @NotNull @Valid Sender from,
                         @NotBlank @Size(max = 20000) String text, UUID stageId) {
    }

    record Accepted(UUID conversationId, UUID messageId, boolean duplicate) {
    }

    @PostMapping("/api/v1/channels/api/{accountId}/messages")
    @PreAuthorize("hasRole('AGENT')")
    ResponseEntity<Accepted> post(@PathVariable UUID accountId, @Valid @RequestBody PostedMessage body) {
        ChannelAccount account = accounts.findOptional(accountId).filter(a -> a.type() == ChannelType.API && a.enabled())
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no enabled api channel account " + accountId));
        if (body.stageId() != null && !funnels.isLiveStage(body.stageId())) {
            throw new InvalidInput("stage_id " + body.stageId() + " is not a stage of this organization's funnels (or it is archived)");
        }
        var ingested = conversations.ingest(new io.switchboard.conversation.InboundMessage(TenantScope.requireOrganization(),
                account.origin().startingIn(body.stageId()), body.from().identifier(), body.from().name(), body.from().phone(), body.externalId(),
                body.text(), "text", null, null, Instant.now()));
        return ResponseEntity.status(ingested.duplicate() ? HttpStatus.OK : HttpStatus.CREATED)
                .body(new Accepted(ingested.conversation().id(), ingested.message().id(), ingested.duplicate()));
    }
}
