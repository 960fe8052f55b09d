package io.switchboard.automation;

import io.switchboard.contact.Contact;
import io.switchboard.conversation.Conversation;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What conditions look at when an event happens: the conversation, the customer's message (when the event has
 * one), tags, the contact, the stage's name, and the intent of the message (matched only when a condition asks).
 */
record Facts(Conversation conversation, String messageText, List<String> tags, Contact contact,
             Map<String, String> contactAttributes, String stageName, Supplier<String> intentOf, Instant now) {

    String intent() {
        return intentOf == null ? null : intentOf.get();
    }

    String contactAttribute(String name) {
        if (contact != null) {
            switch (name) {
                case "name":
                    return contact.name();
                case "phone":
                    return contact.phone();
                case "email":
                    return contact.email();
                default:
                    break;
            }
        }
        return contactAttributes.get(name);
    }

    /** A conversation field by its condition name; the stage matches by id or by name. */
    String attribute(String field) {
        return switch (field) {
            case "channel" -> conversation.channelType();
            case "department" -> conversation.departmentId() == null ? null : conversation.departmentId().toString();
            case "status" -> conversation.status().db();
            case "priority" -> conversation.priority();
            case "stage" -> stageName;
            default -> null;
        };
    }
}
