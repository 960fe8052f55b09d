package io.switchboard.media;

import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Message;
import io.switchboard.conversation.SenderType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * A person sends a file to the customer: checked, stored, and posted as an outbound message that carries it (the
 * delivery job hands the provider a short-lived signed address of it). Like replying, it takes the conversation
 * first, so the AI stops answering it.
 */
@Service
public class Attachments {

    private final MediaFiles files;
    private final Conversations conversations;
    private final JsonMapper json;

    Attachments(MediaFiles files, Conversations conversations, JsonMapper json) {
        this.files = files;
        this.conversations = conversations;
        this.json = json;
    }

    /**
     * @param contentType as the browser or client declared it; guessed from the name when missing or generic
     * @param caption     text sent with the file, may be blank
     * @throws MediaRefused when the file is empty, too large or of a type not taken
     */
    @Transactional
    public Message send(UUID conversationId, UUID userId, String filename, String contentType, byte[] bytes, String caption) {
        Conversation conversation = conversations.find(conversationId);
        String type = files.typeOf(filename, contentType, bytes);
        MediaFile file = files.upload(conversation.organizationId(), conversationId, filename, type, bytes);
        if (!userId.equals(conversation.agentId())) {
            conversations.assignToHuman(conversationId, userId, userId);
        }
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("media_id", file.id().toString());
        item.put("content_type", file.contentType());
        item.put("filename", file.filename());
        String text = caption == null || caption.isBlank() ? null : caption.strip();
        Message message = conversations.postOutbound(conversationId, SenderType.AGENT, userId, null, text, file.kind(),
                json.writeValueAsString(List.of(item)), null, null, false);
        files.attach(file.id(), message.id());
        return message;
    }
}
