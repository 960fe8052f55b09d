package io.switchboard.conversation;

/** Who wrote a message. */
public enum SenderType {
    CONTACT, AGENT, AI_AGENT, SYSTEM;

    public String db() {
        return name().toLowerCase();
    }

    public static SenderType fromDb(String value) {
        return valueOf(value.toUpperCase());
    }
}
