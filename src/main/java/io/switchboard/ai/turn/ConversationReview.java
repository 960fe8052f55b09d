package io.switchboard.ai.turn;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import io.switchboard.ai.AiAgent;
import io.switchboard.ai.AiAgents;
import io.switchboard.ai.LlmConnections;
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
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Events;
import io.switchboard.conversation.Inbox;
import io.switchboard.conversation.Message;
import io.switchboard.database.DueJobs;
import io.switchboard.database.TenantScope;
import io.switchboard.knowledge.ContactMemories;
import io.switchboard.knowledge.Feedback;
import io.switchboard.knowledge.FeedbackRecords;
import io.switchboard.knowledge.Memory;
import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.event.EventListener;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the AI learns from a conversation besides answering it (SPEC §9). Each customer message is read at once by
 * the word scorer ({@link FeedbackSignals}) for complaints, requests for a person, unhelpful answers, praise and
 * suggestions. Every {@code switchboard.memory.every-customer-messages} customer messages (5 by default, 0: never)
 * a durable review job asks the LLM — with a JSON schema, as a required tool call — for facts about the customer
 * worth remembering and for feedback the words missed. The review runs apart from the turn, so it never delays the
 * customer's answer; its call is booked like any other (tokens, cost). Without an LLM there is no review: facts are
 * not guessed by words.
 */
@Configuration(proxyBeanMethods = false)
class ConversationReview {

    private static final Logger log = LoggerFactory.getLogger(ConversationReview.class);
    static final TaskDescriptor<ReviewOrder> TASK = TaskDescriptor.of("conversation-review", ReviewOrder.class);
    /** Messages the review reads (the ones since the last review, and some before for context). */
    static final int REVIEW_WINDOW = 20;
    static final String TOOL = "registrar_analise";
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    record ReviewOrder(UUID organizationId, UUID conversationId, long customerMessages) implements Serializable {
    }

    private final Conversations conversations;
    private final Inbox inbox;
    private final AiAgents agents;
    private final LlmConnections endpoints;
    private final RetryingLlmCaller caller;
    private final PriceTable prices;
    private final AiLedger ledger;
    private final ContactMemories memories;
    private final FeedbackRecords feedback;
    private final SchedulerClient scheduler;
    private final DueJobs dueJobs;
    private final TransactionTemplate transaction;
    private final JsonMapper json;
    private final Clock clock;
    private final int every;

    // lazy: the scheduler collects this configuration's task early, before the AI's services can exist
    ConversationReview(@Lazy Conversations conversations, @Lazy Inbox inbox, @Lazy AiAgents agents, @Lazy LlmConnections endpoints,
                       LlmClient llm, LlmProperties llmProperties, @Lazy AiLedger ledger, @Lazy ContactMemories memories,
                       @Lazy FeedbackRecords feedback,
                       @Lazy SchedulerClient scheduler, DueJobs dueJobs, TransactionTemplate transaction, JsonMapper json, Clock clock,
                       @Value("${switchboard.memory.every-customer-messages:5}") int every) {
        this.conversations = conversations;
        this.inbox = inbox;
        this.agents = agents;
        this.endpoints = endpoints;
        this.caller = llmProperties.retryingCaller(llm);
        this.prices = llmProperties.priceTable();
        this.ledger = ledger;
        this.memories = memories;
        this.feedback = feedback;
        this.scheduler = scheduler;
        this.dueJobs = dueJobs;
        this.transaction = transaction;
        this.json = json;
        this.clock = clock;
        this.every = every;
    }

    @Bean
    OneTimeTask<ReviewOrder> conversationReviewTask() {
        return Tasks.oneTime(TASK).execute((instance, context) -> {
            ReviewOrder order = instance.getData();
            TenantScope.run(order.organizationId(), () -> review(order));
        });
    }

    /** In the transaction that stored the message: the words' feedback is stored with it, the review scheduled with it. */
    @EventListener
    void onCustomerMessage(Events.CustomerMessageReceived received) {
        Conversation conversation = conversations.find(received.conversationId());
        if (conversation.aiAgentId() == null) {
            return; // feedback and memory are about the AI's customers; a conversation no AI agent serves has neither
        }
        var message = conversations.message(received.messageId());
        FeedbackSignals.of(message.content(), !conversation.humanOwned()).forEach(kind ->
                feedback.record(new Feedback.Draft(conversation.id(), message.id(), conversation.aiAgentId(), kind,
                        message.content(), Feedback.DetectedBy.SCORER)));
        if (every <= 0) {
            return;
        }
        // a conversation this message opened has this one message from the customer: no need to count
        long count = received.conversationOpened() ? 1 : inbox.customerMessageCount(conversation.id());
        if (count % every == 0 && endpoints.current().isPresent()) {
            scheduler.scheduleIfNotExists(TASK.instance(conversation.id() + "@" + count)
                    .data(new ReviewOrder(received.organizationId(), conversation.id(), count)).scheduledTo(clock.instant()));
            dueJobs.checkAfterCommit();
        }
    }

    void review(ReviewOrder order) {
        Conversation conversation = conversations.find(order.conversationId());
        Optional<AiAgent> agent = conversation.aiAgentId() == null ? Optional.empty() : agents.find(conversation.aiAgentId());
        Optional<LlmEndpoint> endpoint = endpoints.current();
        if (agent.isEmpty() || endpoint.isEmpty()) {
            log.debug("No review of {}: {}", order.conversationId(), agent.isEmpty() ? "no AI agent" : "no LLM configured");
            return;
        }
        List<Message> messages = inbox.recentHistory(conversation.id(), REVIEW_WINDOW).stream()
                .filter(m -> m.content() != null && !m.content().isBlank() && !"internal".equals(m.direction())).toList();
        if (messages.stream().noneMatch(Message::fromCustomer)) {
            return;
        }
        List<Memory> known = memories.of(conversation.contactId());
        LlmRequest request = new LlmRequest(endpoint.get(), agent.get().model(), 0.0, 600,
                List.of(new LlmMessage.System(INSTRUCTIONS), new LlmMessage.User(transcript(messages, known))),
                List.of(new LlmTool(TOOL, "Registra os fatos sobre o cliente e o feedback encontrados na conversa.", SCHEMA)),
                CALL_TIMEOUT, true);
        TurnLedger books = new TurnLedger(0);
        LlmReply reply = null;
        try {
            reply = caller.call(request, clock.instant().plus(CALL_TIMEOUT.multipliedBy(2)));
            books.call(new TurnLedger.Call(agent.get().model(), reply.usage(), reply.latency(),
                    prices.cost(agent.get().model(), reply.usage()), "ok", null));
        } catch (LlmCallException e) {
            log.info("Review of conversation {} failed: {}", conversation.id(), e.getMessage());
            books.call(new TurnLedger.Call(agent.get().model(), null, null, Optional.empty(), "failed", e.reason().name()));
        }
        JsonNode found = reply == null ? null : arguments(reply);
        transaction.executeWithoutResult(tx -> {
            ledger.write(conversation.organizationId(), conversation.id(), agent.get().id(), books);
            if (found == null) {
                return;
            }
            List<String> facts = new ArrayList<>();
            found.path("facts").forEach(f -> {
                if (f.isString()) {
                    facts.add(f.asString());
                }
            });
            memories.remember(conversation.contactId(), agent.get().id(), conversation.id(), facts);
            for (JsonNode item : found.path("feedback")) {
                int number = item.path("message").asInt(0);
                Optional<Feedback.Kind> kind = kind(item.path("kind").asString(""));
                if (kind.isEmpty() || number < 1 || number > messages.size() || !messages.get(number - 1).fromCustomer()) {
                    continue; // only what a customer message shows, and only the kinds we know
                }
                Message message = messages.get(number - 1);
                String excerpt = item.path("excerpt").asString("");
                feedback.record(new Feedback.Draft(conversation.id(), message.id(), agent.get().id(), kind.get(),
                        excerpt.isBlank() ? message.content() : excerpt, Feedback.DetectedBy.LLM));
            }
        });
    }

    private JsonNode arguments(LlmReply reply) {
        for (LlmToolCall call : reply.toolCalls()) {
            if (TOOL.equals(call.name())) {
                try {
                    return json.readTree(call.argumentsJson());
                } catch (RuntimeException e) {
                    log.info("The review's arguments are not JSON: {}", e.getMessage());
                }
            }
        }
        return null;
    }

    private static Optional<Feedback.Kind> kind(String value) {
        try {
            return Optional.of(Feedback.Kind.of(value));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The messages numbered from 1, who said each, and what is already remembered (not to be repeated). */
    private static String transcript(List<Message> messages, List<Memory> known) {
        StringBuilder text = new StringBuilder("Conversa:\n");
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            String who = m.fromCustomer() ? "Cliente" : m.aiAgentId() != null ? "IA" : "Atendente";
            text.append(i + 1).append(". ").append(who).append(": ").append(m.content().strip()).append('\n');
        }
        if (!known.isEmpty()) {
            text.append("\nJá sabemos sobre o cliente (não repita):\n");
            known.forEach(m -> text.append("- ").append(m.fact()).append('\n'));
        }
        return text.toString();
    }

    static final String INSTRUCTIONS = """
            Você analisa uma conversa de atendimento. Chame a função registrar_analise com:
            - facts: fatos duradouros sobre o CLIENTE úteis em conversas futuras (preferências, dados pessoais que ele \
            contou, produtos que tem, restrições), frases curtas na língua do cliente; nada sobre a loja, nada passageiro \
            ("quer saber o frete hoje"), nada já sabido. Lista vazia se não houver.
            - feedback: mensagens do cliente que mostram reclamação (complaint), pedido para falar com uma pessoa \
            (human_request), resposta da IA genérica ou que não ajudou (unhelpful_answer), elogio (praise) ou sugestão \
            (suggestion); message é o número da mensagem do cliente e excerpt o trecho. Lista vazia se não houver.""";

    static final String SCHEMA = """
            {"type":"object","additionalProperties":false,"required":["facts","feedback"],"properties":{
              "facts":{"type":"array","items":{"type":"string","maxLength":300}},
              "feedback":{"type":"array","items":{"type":"object","additionalProperties":false,
                "required":["kind","message","excerpt"],"properties":{
                  "kind":{"type":"string","enum":["complaint","human_request","unhelpful_answer","praise","suggestion"]},
                  "message":{"type":"integer","minimum":1},
                  "excerpt":{"type":"string","maxLength":300}}}}}}""";
}
