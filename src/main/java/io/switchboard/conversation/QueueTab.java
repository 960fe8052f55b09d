package io.switchboard.conversation;

/**
 * The human queue a conversation waits in, chosen by its origin (SPEC §4): WhatsApp via QR code
 * (Evolution API) goes to WHATSAPP, everything else to SUPPORT, unless the channel account says otherwise.
 */
public enum QueueTab {
    WHATSAPP, SUPPORT;

    public static QueueTab defaultForChannelType(String channelType) {
        return "evolution".equals(channelType) ? WHATSAPP : SUPPORT;
    }
}
