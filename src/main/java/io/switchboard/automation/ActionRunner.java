package io.switchboard.automation;

import io.switchboard.contact.Contact;
import io.switchboard.channel.WhatsAppTemplates;
import io.switchboard.contact.Contacts;
import io.switchboard.conversation.AutomaticSpeech;
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.InboxWork;
import io.switchboard.conversation.SenderType;
import io.switchboard.outbound.OutboundHttp;
import io.switchboard.outbound.OutboundResponse;
import io.switchboard.refusal.InvalidInput;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Carries out one action on a conversation through the owning modules' services. Automatic speech (a rule's or an
 * intent's message) goes through {@link Conversations#postAutomatic}, which refuses once a person has the
 * conversation; a person's macro speaks as that person, taking the conversation first like a reply in the inbox.
 */
@Component
class ActionRunner {

    private static final Duration WEBHOOK_TIMEOUT = Duration.ofSeconds(10);

    private final Conversations conversations;
    private final InboxWork inboxWork;
    private final Contacts contacts;
    private final Activities activities;
    private final OutboundHttp http;
    private final JsonMapper json;
    private final WhatsAppTemplates templates;

    ActionRunner(Conversations conversations, InboxWork inboxWork, Contacts contacts, Activities activities, OutboundHttp http,
                 JsonMapper json, WhatsAppTemplates templates) {
        this.templates = templates;
        this.conversations = conversations;
        this.inboxWork = inboxWork;
        this.contacts = contacts;
        this.activities = activities;
        this.http = http;
        this.json = json;
    }

    /** An action that could not be done, with the reason a person reads in the run log. */
    static final class ActionFailed extends RuntimeException {
        ActionFailed(String message) {
            super(message);
        }
    }

    /** @return what was done, for the run log */
    String perform(UUID conversationId, RuleAction action, Actor actor) {
        Conversation conversation = conversations.find(conversationId);
        String value = action.value();
        switch (action.kind()) {
            case SEND_MESSAGE -> {
                String text = variables(conversation).render(value);
                if (actor.automatic()) {
                    Map<String, Object> details = metadata(actor);
                    if (templates.windowClosed(conversation)) {
                        // outside WhatsApp's 24-hour window only an approved template reaches the customer
                        text = templateInstead(conversation, action, details);
                    }
                    String metadata = json.writeValueAsString(details);
                    if (conversations.postAutomatic(conversationId, AutomaticSpeech.REPLY, SenderType.AI_AGENT,
                            conversation.aiAgentId(), text, metadata, null).isEmpty()) {
                        throw new ActionFailed("message withheld: " + conversations.find(conversationId)
                                .automationSilencedBecauseAt(java.time.Instant.now()));
                    }
                } else {
                    if (!actor.userId().equals(conversation.agentId())) {
                        conversations.assignToHuman(conversationId, actor.userId(), actor.userId());
                    }
                    conversations.postOutbound(conversationId, SenderType.AGENT, actor.userId(), null, text, null, null, false);
                }
                return "sent: " + text;
            }
            case ADD_NOTE -> {
                String text = variables(conversation).render(value);
                conversations.postOutbound(conversationId, actor.automatic() ? SenderType.SYSTEM : SenderType.AGENT,
                        actor.userId(), null, text, json.writeValueAsString(metadata(actor)), null, true);
                return "note: " + text;
            }
            case ADD_TAG -> {
                conversations.addTag(conversationId, value);
                return "tagged: " + value;
            }
            case REMOVE_TAG -> {
                conversations.removeTag(conversationId, value);
                return "untagged: " + value;
            }
            case MOVE_TO_STAGE -> {
                String stage = conversations.moveToStage(conversationId, value)
                        .orElseThrow(() -> new ActionFailed("no funnel stage '" + value + "'"));
                return "stage: " + stage;
            }
            case ASSIGN_DEPARTMENT -> {
                conversations.transferToDepartment(conversationId, UUID.fromString(value), actor.userId(), "automation");
                return "department: " + value;
            }
            case ASSIGN_PERSON -> {
                conversations.assignToHuman(conversationId, UUID.fromString(value), actor.userId());
                return "person: " + value;
            }
            case ASSIGN_AI_AGENT -> {
                if (!conversations.assignToAiAgent(conversationId, UUID.fromString(value))) {
                    throw new ActionFailed("a person has the conversation; it stays with them");
                }
                return "ai agent: " + value;
            }
            case SET_PRIORITY -> {
                inboxWork.setPriority(conversationId, value, actor.userId());
                return "priority: " + value;
            }
            case CLOSE -> {
                conversations.close(conversationId, actor.actorType(), actor.userId());
                return "closed";
            }
            case HAND_TO_PERSON -> {
                conversations.handOffToQueue(conversationId, value == null || value.isBlank() ? "automation" : value, false, null);
                return "handed to people";
            }
            case CREATE_ACTIVITY -> {
                Activity created = activities.create(conversation.contactId(), conversationId, actor.userId(),
                        variables(conversation).render(value), null, null);
                return "activity: " + created.title();
            }
            case CALL_WEBHOOK -> {
                return callWebhook(conversation, value, actor);
            }
            default -> throw new InvalidInput("unknown action " + action.type());
        }
    }

    private String callWebhook(Conversation conversation, String url, Actor actor) {
        ObjectNode body = json.createObjectNode();
        body.put("conversation_id", conversation.id().toString());
        body.put("contact_id", conversation.contactId().toString());
        body.put("channel", conversation.channelType());
        body.put("status", conversation.status().db());
        if (actor.ruleId() != null) {
            body.put("automation_id", actor.ruleId().toString());
        }
        Contact contact = contacts.find(conversation.contactId()).orElse(null);
        if (contact != null) {
            body.putObject("contact").put("name", contact.name()).put("phone", contact.phone()).put("email", contact.email());
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build();
        OutboundResponse response;
        try {
            response = http.send(request, WEBHOOK_TIMEOUT);
        } catch (RuntimeException e) {
            throw new ActionFailed("webhook " + url + " failed: " + e.getMessage());
        }
        if (!response.successful()) {
            throw new ActionFailed("webhook " + url + " answered HTTP " + response.status());
        }
        return "webhook: HTTP " + response.status();
    }

    MessageVariables variables(Conversation conversation) {
        Contact contact = contacts.find(conversation.contactId()).orElse(null);
        return new MessageVariables(contact, attributes(contact));
    }

    Map<String, String> attributes(Contact contact) {
        Map<String, String> attributes = new LinkedHashMap<>();
        if (contact != null && contact.customAttributes() != null) {
            json.readTree(contact.customAttributes()).properties()
                    .forEach(e -> attributes.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asString() : e.getValue().toString()));
        }
        return attributes;
    }

    /** The template's text, its details added to {@code metadata} so delivery sends it as that template. */
    private String templateInstead(Conversation conversation, RuleAction action, Map<String, Object> metadata) {
        RuleAction.TemplateFallback fallback = action.template();
        if (fallback == null) {
            throw new ActionFailed("not sent: the customer's 24-hour WhatsApp window is closed and this action has no "
                    + "template to send instead");
        }
        MessageVariables variables = variables(conversation);
        try {
            WhatsAppTemplates.Prepared prepared = templates.prepare(conversation, fallback.name(), fallback.language(),
                    fallback.variables().stream().map(variables::render).toList());
            metadata.put("template", prepared.metadata().get("template"));
            return prepared.text();
        } catch (InvalidInput e) {
            throw new ActionFailed("not sent: the 24-hour window is closed and the template could not be used: " + e.getMessage());
        }
    }

    private Map<String, Object> metadata(Actor actor) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        if (actor.ruleId() != null) {
            metadata.put("automation_id", actor.ruleId().toString());
        }
        if (actor.intentId() != null) {
            metadata.put("intent_id", actor.intentId().toString());
        }
        return metadata;
    }
}
