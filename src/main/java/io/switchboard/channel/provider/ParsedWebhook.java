package io.switchboard.channel.provider;

import java.util.List;

/**
 * Everything one webhook call carried: Meta and Evolution batch messages and statuses together.
 * Both lists are never {@code null}; both empty means 'nothing for us' (answer 200 anyway).
 */
public record ParsedWebhook(List<InboundMessage> messages, List<StatusUpdate> statuses) {

    public ParsedWebhook {
        messages = messages == null ? List.of() : List.copyOf(messages);
        statuses = statuses == null ? List.of() : List.copyOf(statuses);
    }

    public static ParsedWebhook empty() {
        return new ParsedWebhook(List.of(), List.of());
    }

    public boolean isEmpty() {
        return messages.isEmpty() && statuses.isEmpty();
    }
}
