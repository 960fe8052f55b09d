package io.switchboard.ai.turn;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.ai.AiAgent;
import io.switchboard.ai.AiAgents;
import io.switchboard.ai.AssignedTool;
import io.switchboard.ai.LlmConnections;
import io.switchboard.ai.llm.FailureReason;
import io.switchboard.ai.llm.LlmCallException;
import io.switchboard.ai.llm.LlmClient;
import io.switchboard.ai.llm.LlmEndpoint;
import io.switchboard.ai.llm.LlmMessage;
import io.switchboard.ai.llm.LlmProperties;
import io.switchboard.ai.llm.LlmReply;
import io.switchboard.ai.llm.LlmRequest;
import io.switchboard.ai.llm.LlmTool;
import io.switchboard.ai.llm.LlmToolCall;
import io.switchboard.ai.llm.PriceTable;
import io.switchboard.ai.llm.RetryingLlmCaller;
import io.switchboard.ai.offline.FaqResponder;
import io.switchboard.ai.tools.ToolContext;
import io.switchboard.ai.tools.ToolRegistry;
import io.switchboard.ai.tools.ToolResult;
import io.switchboard.contact.Contact;
import io.switchboard.crm.CrmGuard;
import io.switchboard.contact.Contacts;
import io.switchboard.conversation.AutomaticSpeech;
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Inbox;
import io.switchboard.conversation.Message;
import io.switchboard.conversation.SenderType;
import io.switchboard.database.TenantScope;
import io.switchboard.identity.Organizations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * One AI turn of a conversation: the guard chain, the LLM (or the offline FAQ responder), the tool loop we
 * own, and the reply — or, when anything fails, the fallback message and the handoff to the human queue.
 * Runs outside any transaction; every way out either answers the customer or hands them to a person.
 */
@Component
class ConversationTurn {

    private static final Logger log = LoggerFactory.getLogger(ConversationTurn.class);
    private static final int CONDENSE_OVER = 500;
    private static final int MAX_RERUNS = 3;
    static final Duration AI_PAUSE_AFTER_FAILURE = Duration.ofHours(24);
    /** Metadata of an AI answer: the time of the newest customer message its turn answered. */
    static final String ANSWERS_THROUGH = "answers_through";

    private final Conversations conversations;
    private final Inbox inbox;
    private final Contacts contacts;
    private final AiAgents agents;
    private final ToolRegistry tools;
    private final LlmConnections endpoints;
    private final RetryingLlmCaller caller;
    private final PriceTable prices;
    private final FaqResponder faq;
    private final AiLedger ledger;
    private final CrmGuard crm;
    private final AgentLimits limits;
    private final Organizations organizations;
    private final TransactionTemplate transaction;
    private final JsonMapper json;
    private final MeterRegistry meters;
    private final Clock clock;

    ConversationTurn(Conversations conversations, Inbox inbox, Contacts contacts, AiAgents agents, ToolRegistry tools,
                     LlmConnections endpoints, LlmClient llm, LlmProperties llmProperties, FaqResponder faq, AiLedger ledger, CrmGuard crm, AgentLimits limits,
                     Organizations organizations, TransactionTemplate transaction, JsonMapper json, MeterRegistry meters,
                     Clock clock) {
        this.conversations = conversations;
        this.inbox = inbox;
        this.contacts = contacts;
        this.agents = agents;
        this.tools = tools;
        this.endpoints = endpoints;
        this.caller = llmProperties.retryingCaller(llm);
        this.prices = llmProperties.priceTable();
        this.faq = faq;
        this.ledger = ledger;
        this.crm = crm;
        this.limits = limits;
        this.organizations = organizations;
        this.transaction = transaction;
        this.json = json;
        this.meters = meters;
        this.clock = clock;
    }

    int contextTimerSeconds(UUID aiAgentId) {
        return agents.find(aiAgentId).map(a -> a.settings().contextTimerSeconds()).orElse(0);
    }

    /**
     * What a turn did: the customer messages it took up, and whether it must run again at once (messages came
     * in while it generated, so its answer was superseded).
     */
    record Outcome(Set<UUID> seen, boolean again) {
        static final Outcome NOTHING = new Outcome(Set.of(), false);
    }

    /** Runs the turn in the organization's scope. */
    Outcome run(UUID organizationId, UUID conversationId) {
        // every log line of the turn names its conversation
        try (var logged = org.slf4j.MDC.putCloseable("conversation_id", conversationId.toString())) {
            return runLogged(organizationId, conversationId);
        }
    }

    private Outcome runLogged(UUID organizationId, UUID conversationId) {
        return TenantScope.call(organizationId, () -> {
            try {
                return runInScope(conversationId);
            } catch (RuntimeException unexpected) {
                // a bug or an outage of our own must not leave the customer in silence either
                log.error("AI turn of conversation {} failed unexpectedly", conversationId, unexpected);
                conversations.findOptional(conversationId)
                        .ifPresent(c -> fallback(c, null, FailureReason.OTHER, "unexpected error: " + unexpected.getClass().getSimpleName()));
                return Outcome.NOTHING;
            }
        });
    }

    private Outcome runInScope(UUID conversationId) {
        Optional<Conversation> found = conversations.findOptional(conversationId);
        if (found.isEmpty() || !mayTry(found.get(), clock.instant())) {
            return Outcome.NOTHING;
        }
        Conversation conversation = found.get();
        List<Message> pending = unanswered(conversation.id());
        Set<UUID> seen = pending.stream().map(Message::id).collect(Collectors.toSet());
        return new Outcome(seen, !pending.isEmpty() && answer(conversation, pending));
    }

    /**
     * Whether the customer is still owed an answer after a turn that took up {@code seen}: a message came in
     * that the turn did not see (e.g. after its last check, while it was finishing). Reads under the
     * conversation's lock, so a message being stored right now is either seen here or schedules its own turn.
     */
    boolean answerOwed(UUID conversationId, Set<UUID> seen) {
        return conversations.findLockedAgainstNewMessages(conversationId)
                .filter(c -> mayTry(c, clock.instant()))
                .map(c -> unanswered(conversationId).stream().anyMatch(m -> !seen.contains(m.id())))
                .orElse(false);
    }

    private boolean answer(Conversation conversation, List<Message> pending) {
        UUID conversationId = conversation.id();
        Optional<AiAgent> maybeAgent = agents.find(conversation.aiAgentId());
        if (maybeAgent.isEmpty() || !maybeAgent.get().enabled()) {
            escalate(conversation, null, null, "the conversation's AI agent is disabled", null);
            return false;
        }
        AiAgent agent = maybeAgent.get();
        // the CRM is the source of truth: a lead with a salesperson pauses the AI, and the message waits for them
        CrmGuard.Decision crmDecision = crm.beforeAiAnswers(conversation.id());
        if (!crmDecision.aiMayAnswer()) {
            log.info("AI stays silent in conversation {}: {}", conversation.id(), crmDecision.reason());
            return false;
        }
        conversation = conversations.find(conversationId);
        if (!conversation.aiMayAnswerAt(clock.instant())) {
            return false;
        }
        UUID aiConversation = ledger.ensure(conversation.organizationId(), conversation.id(), agent.id());
        String customerText = pending.stream().map(m -> m.content() == null ? "" : m.content()).collect(Collectors.joining("\n"));
        Optional<String> trigger = escalationTrigger(conversation, agent, customerText);
        if (trigger.isPresent()) {
            escalate(conversation, agent, aiConversation, trigger.get(), null);
            return false;
        }
        Instant lastSeen = pending.get(pending.size() - 1).createdAt();
        Optional<LlmEndpoint> endpoint = endpoints.current();
        Optional<String> overLimit = endpoint.isPresent() ? limits.refusal(agent) : Optional.empty();
        if (overLimit.isPresent()) {
            escalate(conversation, agent, aiConversation, overLimit.get(), null);
            return false;
        }
        Answer answer = endpoint.isPresent()
                ? llmAnswer(conversation, agent, aiConversation, endpoint.get())
                : offlineAnswer(conversation, agent, aiConversation, customerText);
        if (answer == null) {
            return false; // already handed over (failure or escalation)
        }
        return deliver(conversation.id(), agent, aiConversation, answer, lastSeen);
    }

    /**
     * Whether a turn may start: the AI may answer, or its only obstacle is a pause the CRM set — then the turn
     * reads the lead live, and the CRM lifts the pause if the lead has left the salesperson.
     */
    static boolean mayTry(Conversation conversation, Instant now) {
        if (conversation.aiMayAnswerAt(now)) {
            return true;
        }
        return conversation.aiAgentId() != null && !conversation.humanOwned()
                && conversation.status() != io.switchboard.conversation.ConversationStatus.CLOSED
                && CrmGuard.pausedByCrm(conversation.aiDisabledReason());
    }

    /** The reply a turn produced, and what must happen after it. */
    private record Answer(String text, ToolResult.FollowUp followUp, String reason, UUID escalateTo) {
    }

    private Optional<String> escalationTrigger(Conversation conversation, AiAgent agent, String customerText) {
        var rules = agent.settings().escalation();
        if (!rules.enabled()) {
            return Optional.empty();
        }
        if (rules.humanRequestEnabled()) {
            Optional<String> phrase = EscalationRules.humanRequest(customerText, rules.humanRequestPhrases());
            if (phrase.isPresent()) {
                return Optional.of("the customer asked for a person (\"" + phrase.get() + "\")");
            }
        }
        if (rules.maxCustomerMessagesEnabled() && rules.maxCustomerMessages() > 0
                && inbox.customerMessageCount(conversation.id()) > rules.maxCustomerMessages()) {
            return Optional.of("the conversation passed " + rules.maxCustomerMessages() + " customer messages");
        }
        double sentiment = EscalationRules.sentiment(customerText);
        if (rules.negativeSentimentEnabled() && sentiment <= rules.negativeSentimentThreshold()) {
            return Optional.of("strongly negative sentiment (score " + sentiment + ")");
        }
        return Optional.empty();
    }

    private Answer offlineAnswer(Conversation conversation, AiAgent agent, UUID aiConversation, String customerText) {
        var entries = agent.settings().faq().stream()
                .map(e -> new FaqResponder.FaqEntry(e.question(), e.answer())).toList();
        Optional<FaqResponder.FaqMatch> match = entries.isEmpty() ? Optional.empty() : faq.answer(customerText, entries);
        if (match.isEmpty()) {
            escalate(conversation, agent, aiConversation, "no FAQ answer for the question and no LLM is configured", null);
            return null;
        }
        ledger.appendMessages(aiConversation, json.writeValueAsString(List.of(
                Map.of("role", "user", "content", customerText, "at", clock.instant().toString()),
                Map.of("role", "assistant", "content", match.get().entry().answer(), "source", "faq",
                        "similarity", match.get().similarity(), "at", clock.instant().toString()))));
        return new Answer(match.get().entry().answer(), ToolResult.FollowUp.NONE, null, null);
    }

    private Answer llmAnswer(Conversation conversation, AiAgent agent, UUID aiConversation, LlmEndpoint endpoint) {
        var settings = agent.settings();
        Instant deadline = clock.instant().plusSeconds(settings.turnTimeoutSeconds());
        List<AssignedTool> available = agents.assignedTools(agent.id());
        List<LlmTool> llmTools = available.stream()
                .map(t -> new LlmTool(t.slug(), t.handler().description(), t.handler().parametersSchema())).toList();
        List<LlmMessage> messages = context(conversation, agent, available);
        List<Map<String, Object>> log = new ArrayList<>();
        ToolResult.FollowUp followUp = ToolResult.FollowUp.NONE;
        String followUpReason = null;
        UUID escalateTo = null;
        for (int round = 0; ; round++) {
            if (round > settings.maxToolRounds()) {
                ledger.appendMessages(aiConversation, json.writeValueAsString(log));
                escalate(conversation, agent, aiConversation, "the AI reached " + settings.maxToolRounds()
                        + " tool rounds without a final answer", null);
                return null;
            }
            // prefer_tools: the first round must use a tool (e.g. look the answer up) rather than answer from memory
            LlmRequest request = new LlmRequest(endpoint, agent.model(), agent.temperature(), agent.maxTokens(), messages,
                    llmTools, Duration.ofSeconds(settings.turnTimeoutSeconds()), round == 0 && settings.preferTools() && !llmTools.isEmpty());
            LlmReply reply;
            try {
                var attempted = caller.callCountingAttempts(request, deadline);
                reply = attempted.reply();
            } catch (LlmCallException e) {
                ledger.recordCall(conversation.organizationId(), aiConversation, conversation.id(), agent.id(), agent.model(),
                        null, null, Optional.empty(), "failed", e.reason().name());
                ledger.appendMessages(aiConversation, json.writeValueAsString(log));
                fallback(conversation, agent, e.reason(), e.getMessage());
                return null;
            }
            ledger.recordCall(conversation.organizationId(), aiConversation, conversation.id(), agent.id(), agent.model(),
                    reply.usage(), reply.latency(), prices.cost(agent.model(), reply.usage()), "ok", null);
            if (!reply.hasToolCalls()) {
                log.add(Map.of("role", "assistant", "content", reply.text(), "at", clock.instant().toString()));
                ledger.appendMessages(aiConversation, json.writeValueAsString(log));
                return new Answer(reply.text().trim(), followUp, followUpReason, escalateTo);
            }
            messages.add(new LlmMessage.Assistant(reply.text(), reply.toolCalls()));
            for (LlmToolCall call : reply.toolCalls()) {
                ToolResult result = runTool(conversation, agent, aiConversation, available, call);
                messages.add(new LlmMessage.ToolResult(call.id(), call.name(), result.content()));
                log.add(Map.of("role", "tool", "tool", call.name(), "tool_call_id", call.id(), "arguments", call.argumentsJson(),
                        "result", result.content(), "success", result.success(), "at", clock.instant().toString()));
                if (result.followUp() != ToolResult.FollowUp.NONE) {
                    followUp = result.followUp();
                    followUpReason = result.reason();
                    escalateTo = result.escalateToUserId();
                }
            }
            if (ledger.failedTools(aiConversation) >= settings.escalation().maxToolFailures()) {
                ledger.appendMessages(aiConversation, json.writeValueAsString(log));
                fallback(conversation, agent, FailureReason.OTHER, "tools failed " + settings.escalation().maxToolFailures() + " times in this conversation");
                return null;
            }
        }
    }

    private ToolResult runTool(Conversation conversation, AiAgent agent, UUID aiConversation, List<AssignedTool> available,
                               LlmToolCall call) {
        Instant started = clock.instant();
        Optional<AssignedTool> tool = available.stream().filter(t -> t.slug().equals(call.name())).findFirst();
        ToolResult result;
        if (tool.isEmpty()) {
            result = ToolResult.failed("Error: the tool '" + call.name() + "' does not exist for this agent. Available: "
                    + available.stream().map(AssignedTool::slug).collect(Collectors.joining(", ")));
        } else {
            // validates the arguments against the tool's schema; bad ones come back as an error the model can fix
            result = tools.invoke(tool.get().handler(), new ToolContext(conversation.organizationId(), conversation.id(),
                    conversation.contactId(), agent.id(), tool.get().config()), call.argumentsJson());
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("tool", call.name());
        entry.put("arguments", call.argumentsJson());
        entry.put("result", result.content());
        entry.put("timestamp", started.toString());
        entry.put("duration_ms", Duration.between(started, clock.instant()).toMillis());
        entry.put("success", result.success());
        ledger.appendTool(aiConversation, json.writeValueAsString(entry));
        return result;
    }

    /**
     * Stores the answer — unless a person took over or the AI was paused while it was being generated (then
     * it is discarded and logged), or the customer wrote again meanwhile (then the turn runs again with the
     * new messages rather than answering stale context).
     */
    private boolean deliver(UUID conversationId, AiAgent agent, UUID aiConversation, Answer answer, Instant lastSeen) {
        Conversation now = conversations.find(conversationId);
        if (!now.aiMayAnswerAt(clock.instant())) {
            conversations.recordEvent(conversationId, "ai_answer_discarded", "ai_agent", agent.id(),
                    json.writeValueAsString(Map.of("content", answer.text(),
                            "reason", now.humanOwned() ? "a person took over during generation" : "the AI was paused during generation")));
            log.info("Discarded the AI answer of conversation {}: no longer the AI's to answer", conversationId);
            return false;
        }
        if (!inbox.customerMessagesSince(conversationId, lastSeen).isEmpty() && rerunsSoFar(conversationId) < MAX_RERUNS) {
            conversations.recordEvent(conversationId, "ai_answer_superseded", "ai_agent", agent.id(),
                    json.writeValueAsString(Map.of("content", answer.text())));
            return true;
        }
        if (answer.text().isBlank()) {
            fallback(now, agent, FailureReason.EMPTY_ANSWER, "the model returned an empty answer");
            return false;
        }
        var settings = agent.settings();
        transaction.executeWithoutResult(status -> {
            boolean handsOver = answer.followUp() == ToolResult.FollowUp.ESCALATE;
            boolean posted = conversations.postAutomatic(conversationId,
                    handsOver ? AutomaticSpeech.HANDOFF_NOTICE : AutomaticSpeech.REPLY, SenderType.AI_AGENT, agent.id(),
                    answer.text(), json.writeValueAsString(Map.of(ANSWERS_THROUGH, lastSeen.toString())),
                    handsOver ? null : clock.instant().plus(humanizedDelay(settings.responseDelayMin(), settings.responseDelayMax())))
                    .isPresent();
            if (!posted) {
                return; // a person took the conversation in the meantime: the withheld answer is in its history
            }
            if (handsOver) {
                handOver(now, aiConversation, answer.reason() == null ? "the AI transferred the conversation" : answer.reason(),
                        answer.escalateTo());
            } else if (answer.followUp() == ToolResult.FollowUp.CLOSE) {
                conversations.close(conversationId, "ai_agent", agent.id());
                ledger.completed(conversationId);
            }
        });
        return false;
    }

    private int rerunsSoFar(UUID conversationId) {
        return (int) inbox.events(conversationId).stream()
                .filter(e -> "ai_answer_superseded".equals(e.type()) && e.createdAt().isAfter(clock.instant().minusSeconds(600)))
                .count();
    }

    static Duration humanizedDelay(int minSeconds, int maxSeconds) {
        int min = Math.max(0, minSeconds);
        int max = Math.max(min, maxSeconds);
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(min * 1000L, max * 1000L + 1));
    }

    /**
     * The AI could not answer: the customer gets the fallback message (sender system, marked as fallback), the
     * conversation goes to its origin's human queue with the AI paused, and the failure is counted.
     */
    private void fallback(Conversation conversation, AiAgent agent, FailureReason reason, String detail) {
        String text = agent != null && agent.settings().fallbackMessage() != null ? agent.settings().fallbackMessage()
                : FallbackMessages.fallback(locale(conversation));
        String why = reason.describe() + (detail == null ? "" : " (" + detail + ")");
        meters.counter("switchboard.ai.fallback", "reason", reason.name().toLowerCase()).increment();
        transaction.executeWithoutResult(status -> {
            boolean posted = conversations.postAutomatic(conversation.id(), AutomaticSpeech.HANDOFF_NOTICE, SenderType.SYSTEM,
                    agent == null ? null : agent.id(), text,
                    json.writeValueAsString(Map.of("is_error_fallback", true, "reason", reason.name().toLowerCase(), "detail", why)),
                    null).isPresent();
            if (!posted) {
                // a person has the conversation (or paused the AI): they see the failure, the customer hears nothing
                conversations.recordEvent(conversation.id(), "ai_failed", "system", null,
                        json.writeValueAsString(Map.of("reason", "AI failure: " + why, "customer_told", false)));
                return;
            }
            conversations.handOffToQueue(conversation.id(), "AI failure: " + why, true, clock.instant().plus(AI_PAUSE_AFTER_FAILURE));
            if (agent != null) {
                ledger.escalated(ledger.ensure(conversation.organizationId(), conversation.id(), agent.id()), null, "failure: " + reason.name());
            }
        });
        log.info("AI fallback in conversation {}: {}", conversation.id(), why);
    }

    /** Escalation without failure: a transition message, then the human queue (or a chosen person). */
    private void escalate(Conversation conversation, AiAgent agent, UUID aiConversation, String reason, UUID toUser) {
        meters.counter("switchboard.ai.escalation").increment();
        transaction.executeWithoutResult(status -> {
            boolean posted = conversations.postAutomatic(conversation.id(), AutomaticSpeech.HANDOFF_NOTICE, SenderType.SYSTEM,
                    agent == null ? null : agent.id(), FallbackMessages.transition(locale(conversation)),
                    json.writeValueAsString(Map.of("is_transition", true, "reason", reason)), null).isPresent();
            if (posted) {
                handOver(conversation, aiConversation, reason, toUser);
            }
        });
    }

    private void handOver(Conversation conversation, UUID aiConversation, String reason, UUID toUser) {
        conversations.handOffToQueue(conversation.id(), "Escalated: " + reason, false, null);
        if (toUser != null) {
            conversations.assignToHuman(conversation.id(), toUser, null);
        }
        if (aiConversation != null) {
            ledger.escalated(aiConversation, toUser, reason);
        }
    }

    /**
     * A new conversation beyond the AI agent's {@code max_conversations} goes to people at once (with a
     * transition message) rather than waiting for capacity. Runs in the transaction that opened it.
     *
     * @return whether it was handed over
     */
    boolean handOverWhenAgentIsFull(Conversation conversation) {
        Optional<AiAgent> agent = agents.find(conversation.aiAgentId());
        if (agent.isEmpty() || agent.get().maxConversations() == null
                || agent.get().currentConversations() <= agent.get().maxConversations()) {
            return false;
        }
        escalate(conversation, agent.get(), null, "the AI agent is at its limit of " + agent.get().maxConversations()
                + " conversations", null);
        return true;
    }

    /** Sends the agent's welcome message to a new conversation that has no customer text yet. */
    void welcome(UUID conversationId) {
        Conversation conversation = conversations.find(conversationId);
        if (conversation.aiAgentId() == null) {
            return;
        }
        agents.find(conversation.aiAgentId()).filter(AiAgent::enabled)
                .map(a -> a.settings().welcomeMessage()).filter(w -> w != null && !w.isBlank())
                .ifPresent(welcome -> conversations.postAutomatic(conversationId, AutomaticSpeech.REPLY, SenderType.AI_AGENT,
                        conversation.aiAgentId(), welcome, "{\"welcome\":true}", null));
    }

    /**
     * Customer messages since the last message sent to the customer (what this turn must answer). An AI answer
     * answers only what its turn saw ({@value #ANSWERS_THROUGH}): a message stored while that answer was being
     * written sorts before it yet is still owed an answer.
     */
    private List<Message> unanswered(UUID conversationId) {
        List<Message> recent = inbox.recentHistory(conversationId, 50);
        List<Message> pending = new ArrayList<>();
        for (Message m : recent) {
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

    /**
     * System prompt + tool descriptions + contact and conversation context + the last {@code history_limit}
     * messages as user/assistant turns (long ones condensed), oldest first.
     */
    private List<LlmMessage> context(Conversation conversation, AiAgent agent, List<AssignedTool> available) {
        Contact contact = contacts.find(conversation.contactId()).orElseThrow();
        StringBuilder system = new StringBuilder(agent.prompt() == null ? "" : agent.prompt().trim());
        if (!available.isEmpty()) {
            system.append("\n\nFerramentas disponíveis:\n");
            available.forEach(t -> system.append("- ").append(t.slug()).append(": ").append(t.handler().description()).append('\n'));
        }
        system.append("\nContato: nome=").append(orDash(contact.name())).append(", telefone=").append(orDash(contact.phone()))
                .append(", email=").append(orDash(contact.email()));
        system.append("\nConversa: status=").append(conversation.status().db())
                .append(", etapa=").append(orDash(stageName(conversation)))
                .append(", tags=").append(String.join(", ", conversations.tags(conversation.id())));
        List<LlmMessage> messages = new ArrayList<>();
        messages.add(new LlmMessage.System(system.toString()));
        for (Message m : inbox.recentHistory(conversation.id(), agent.settings().historyLimit())) {
            String content = condensed(m.content());
            if (content.isBlank()) {
                continue;
            }
            messages.add(m.fromCustomer() ? new LlmMessage.User(content) : new LlmMessage.Assistant(content, List.of()));
        }
        return messages;
    }

    private String stageName(Conversation conversation) {
        return conversation.stageId() == null ? null : conversations.stageName(conversation.stageId()).orElse(null);
    }

    private static String condensed(String content) {
        if (content == null) {
            return "";
        }
        return content.length() <= CONDENSE_OVER ? content
                : content.substring(0, 350) + " […] " + content.substring(content.length() - 100);
    }

    private String locale(Conversation conversation) {
        return organizations.find(conversation.organizationId()).map(o -> o.locale()).orElse("pt-BR");
    }

    private static String orDash(String value) {
        return value == null || value.isBlank() ? "-" : value;
    }
}
