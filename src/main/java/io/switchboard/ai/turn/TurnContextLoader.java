package io.switchboard.ai.turn;

import io.switchboard.ai.AiAgent;
import io.switchboard.ai.AiAgents;
import io.switchboard.ai.AssignedTool;
import io.switchboard.ai.LlmConnections;
import io.switchboard.contact.Contacts;
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Inbox;
import io.switchboard.conversation.Message;
import io.switchboard.identity.Organizations;
import io.switchboard.knowledge.AgentKnowledge;
import io.switchboard.knowledge.ContactMemories;
import io.switchboard.knowledge.KnowledgeSearch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Loads a turn's {@link TurnContext} in one read-only transaction (one commit, no WAL), and decides which
 * customer messages are still unanswered.
 */
@Component
class TurnContextLoader {

    /** Metadata of an AI answer: the time of the newest customer message its turn answered. */
    static final String ANSWERS_THROUGH = "answers_through";
    private static final int PENDING_WINDOW = 50;

    private final Conversations conversations;
    private final Inbox inbox;
    private final Contacts contacts;
    private final AiAgents agents;
    private final LlmConnections endpoints;
    private final Organizations organizations;
    private final AiLedger ledger;
    private final KnowledgeSearch knowledge;
    private final ContactMemories memories;
    private final JsonMapper json;
    private final TransactionTemplate readOnly;

    TurnContextLoader(Conversations conversations, Inbox inbox, Contacts contacts, AiAgents agents, LlmConnections endpoints,
                      Organizations organizations, AiLedger ledger, KnowledgeSearch knowledge, ContactMemories memories,
                      JsonMapper json, PlatformTransactionManager transactions) {
        this.conversations = conversations;
        this.inbox = inbox;
        this.contacts = contacts;
        this.agents = agents;
        this.endpoints = endpoints;
        this.organizations = organizations;
        this.ledger = ledger;
        this.knowledge = knowledge;
        this.memories = memories;
        this.json = json;
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
    }

    /**
     * The context of a turn of the conversation, read with it in one transaction, or empty when the conversation
     * is gone, {@code mayStart} refuses it, or there is nothing to answer. The agent is null
     * when the conversation's agent no longer exists.
     */
    Optional<TurnContext> load(UUID conversationId, Predicate<Conversation> mayStart) {
        return readOnly.execute(status -> conversations.findOptional(conversationId).filter(mayStart).flatMap(this::load));
    }

    private Optional<TurnContext> load(Conversation conversation) {
        return readOnly.execute(status -> {
            AiAgent agent = agents.find(conversation.aiAgentId()).orElse(null);
            int window = Math.max(PENDING_WINDOW, agent == null ? 0 : agent.settings().historyLimit());
            List<Message> recent = inbox.recentHistory(conversation.id(), window);
            List<Message> pending = unanswered(recent);
            if (pending.isEmpty()) {
                return Optional.<TurnContext>empty();
            }
            if (agent == null || !agent.enabled()) {
                return Optional.of(new TurnContext(conversation, agent, pending, List.of(), null, List.of(), null,
                        locale(conversation), List.of(), Optional.empty(), 0, 0, AgentKnowledge.NONE, ContactMemories.Recollection.NONE));
            }
            var rules = agent.settings().escalation();
            long customerMessages = rules.enabled() && rules.maxCustomerMessagesEnabled()
                    ? inbox.customerMessageCount(conversation.id()) : 0;
            List<AssignedTool> tools = agents.assignedTools(agent.id());
            List<Message> history = recent.subList(Math.max(0, recent.size() - agent.settings().historyLimit()), recent.size());
            return Optional.of(new TurnContext(conversation, agent, pending, List.copyOf(history),
                    contacts.find(conversation.contactId()).orElseThrow(), conversations.tags(conversation.id()),
                    conversation.stageId() == null ? null : conversations.stageName(conversation.stageId()).orElse(null),
                    locale(conversation), tools, endpoints.current(), customerMessages,
                    ledger.toolFailures(conversation.id(), agent.id()), knowledge.basesOf(agent.id()),
                    memories.recallable(conversation.contactId(), conversation.id())));
        });
    }

    /** The customer messages of the conversation still owed an answer (read in its own short transaction). */
    List<Message> unanswered(UUID conversationId) {
        return unanswered(inbox.recentHistory(conversationId, PENDING_WINDOW));
    }

    /** The customer's own language when known (a web chat visitor's browser), else the organization's. */
    String locale(Conversation conversation) {
        String customers = conversation.metadata() == null ? null
                : json.readTree(conversation.metadata()).path("language").asString(null);
        if (customers != null && !customers.isBlank()) {
            return customers;
        }
        return organizations.find(conversation.organizationId()).map(o -> o.locale()).orElse("pt-BR");
    }

    /**
     * Customer messages since the last message sent to the customer. An AI answer answers only what its turn saw
     * ({@value #ANSWERS_THROUGH}): a message stored while that answer was being written sorts before it, yet is
     * still owed an answer.
     */
    private List<Message> unanswered(List<Message> chronological) {
        List<Message> pending = new ArrayList<>();
        for (Message m : chronological) {
            if (m.fromCustomer()) {
                pending.add(m);
            } else if (!"internal".equals(m.direction())) {
                Instant through = answeredThrough(m);
                pending.removeIf(p -> through == null || !p.createdAt().isAfter(through));
            }
        }
        return pending;
    }

    private Instant answeredThrough(Message outbound) {
        if (outbound.metadata() == null || !outbound.metadata().contains(ANSWERS_THROUGH)) {
            return null;
        }
        var through = json.readTree(outbound.metadata()).get(ANSWERS_THROUGH);
        return through == null || !through.isString() ? null : Instant.parse(through.asString());
    }
}
