package io.switchboard.conversation;

import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What kind of automatic message a stored message is, written by {@link Conversations#postAutomatic} into the
 * message's metadata under {@link #METADATA_KEY}. Messages of people and integrations have none.
 */
public enum AutomaticSpeech {
    /** An answer, welcome, follow-up…: held back at delivery once a person has the conversation or the AI is paused. */
    REPLY,
    /**
     * The words that hand the customer to people (the AI's last answer before a transfer, the transition text, the
     * fallback): written while the AI still owned the conversation, they go out although the handoff itself
     * paused the AI or gave the conversation to a person.
     */
    HANDOFF_NOTICE;

    public static final String METADATA_KEY = "automatic";

    public String db() {
        return name().toLowerCase();
    }

    /**
     * The kind of an outbound message, empty for a person's or an integration's message. AI messages stored before
     * this mark existed count as replies, or as handoff notices when flagged {@code final_before_handoff}.
     */
    public static Optional<AutomaticSpeech> of(Message message, JsonMapper json) {
        JsonNode metadata = message.metadata() == null ? null : json.readTree(message.metadata());
        JsonNode kind = metadata == null ? null : metadata.get(METADATA_KEY);
        if (kind != null && kind.isString()) {
            return Optional.of(valueOf(kind.asString().toUpperCase()));
        }
        if (message.senderType() != SenderType.AI_AGENT) {
            return Optional.empty();
        }
        JsonNode legacy = metadata == null ? null : metadata.get("final_before_handoff");
        return Optional.of(legacy != null && legacy.asBoolean() ? HANDOFF_NOTICE : REPLY);
    }
}
