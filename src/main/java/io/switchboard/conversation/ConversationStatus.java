package io.switchboard.conversation;

/** Lifecycle of a conversation; {@code WAITING} is the human queue ("ESPERA"). */
public enum ConversationStatus {
    OPEN, PENDING, WAITING, CLOSED;

    public String db() {
        return name().toLowerCase();
    }

    public static ConversationStatus fromDb(String value) {
        return valueOf(value.toUpperCase());
    }
}
