package io.switchboard.channel;

import io.switchboard.channel.provider.InboundMessage;
import io.switchboard.channel.provider.MediaAttachment;
import io.switchboard.channel.provider.ParsedWebhook;
import io.switchboard.channel.provider.StatusUpdate;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.MessageStatus;
import io.switchboard.database.TenantScope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Hands verified, parsed provider payloads to the conversation module, in the account's tenant scope: one
 * transaction per message (stored once, announced once), status callbacks moved forward only.
 */
@Component
class InboundIntake {

    private final Conversations conversations;
    private final JsonMapper json;

    InboundIntake(Conversations conversations, JsonMapper json) {
        this.conversations = conversations;
        this.json = json;
    }

    /** The number of messages that were new (a provider's retry counts zero). */
    int accept(ChannelAccount account, ParsedWebhook parsed) {
        int stored = 0;
        for (InboundMessage message : parsed.messages()) {
            if (accept(account, message)) {
                stored++;
            }
        }
        parsed.statuses().forEach(status -> apply(account, status));
        return stored;
    }

    boolean accept(ChannelAccount account, InboundMessage message) {
        var inbound = new io.switchboard.conversation.InboundMessage(account.organizationId(), account.origin(),
                message.senderIdentifier(), message.senderName(), message.senderPhone(), message.providerMessageId(),
                message.text(), message.contentType(), mediaJson(message.media()),
                message.metadata().isEmpty() ? null : json.writeValueAsString(message.metadata()), message.sentAt());
        return TenantScope.call(account.organizationId(), () -> !conversations.ingest(inbound).duplicate());
    }

    void apply(ChannelAccount account, StatusUpdate status) {
        TenantScope.run(account.organizationId(), () -> conversations.advanceDeliveryByProviderId(account.id(),
                status.providerMessageId(), MessageStatus.valueOf(status.status().name()), status.errorCode(), status.errorReason()));
    }

    private String mediaJson(List<MediaAttachment> media) {
        if (media.isEmpty()) {
            return null;
        }
        List<Map<String, String>> list = new ArrayList<>();
        for (MediaAttachment m : media) {
            Map<String, String> item = new LinkedHashMap<>();
            item.put("url", m.url());
            item.put("content_type", m.contentType());
            item.put("provider_media_id", m.providerMediaId());
            list.add(item);
        }
        return json.writeValueAsString(list);
    }
}
