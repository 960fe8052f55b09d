package io.switchboard.ai.turn;

import io.switchboard.ai.AiAgent;
import io.switchboard.ai.AssignedTool;
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
import io.switchboard.knowledge.ContactMemories;
import io.switchboard.knowledge.KnowledgeSearch;
import io.switchboard.knowledge.Memory;
import io.switchboard.knowledge.Passage;
import io.switchboard.knowledge.Retrieval;
import io.switchboard.conversation.Message;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Produces the turn's answer: the model with the tool loop we own (tools run here, their results go back to
 * the model, up to {@code max_tool_rounds}), or without an LLM the offline FAQ responder. Writes nothing: what
 * it spent and did goes into the {@link TurnLedger}; runs outside any transaction, holding no connection
 * while the model thinks.
 */
@Component
class AnswerGeneration {

    private static final int CONDENSE_OVER = 500;

    /** What generation came to. */
    sealed interface Generated {
    }

    /** The reply, and what must happen after it (a tool may have asked to hand over or to close). */
    record Answer(String text, ToolResult.FollowUp followUp, String reason, UUID escalateTo) implements Generated {
    }

    /** The model could not answer: the customer gets the fallback. */
    record Failure(FailureReason reason, String detail) implements Generated {
    }

    /** No answer to give (no FAQ match, too many tool rounds): a person takes over. */
    record Escalation(String reason) implements Generated {
    }

    private final ToolRegistry tools;
    private final RetryingLlmCaller caller;
    private final PriceTable prices;
    private final FaqResponder faq;
    private final Clock clock;
    private final KnowledgeSearch knowledge;
    private final MediaUnderstanding media;
    private final boolean handoffWhenUnreadable;
    private final ContactMemories memories;

    /** Passages of the agent's knowledge bases put into the prompt. */
    static final int KNOWLEDGE_PASSAGES = 4;
    /** Memories of the contact from earlier conversations put into the prompt (issue 11). */
    static final int MEMORIES = 8;

    AnswerGeneration(ToolRegistry tools, LlmClient llm, LlmProperties llmProperties, FaqResponder faq, Clock clock,
                     KnowledgeSearch knowledge, ContactMemories memories, MediaUnderstanding media,
                     io.switchboard.media.MediaProperties mediaProperties) {
        this.media = media;
        this.handoffWhenUnreadable = mediaProperties.handoffWhenUnreadable();
        this.tools = tools;
        this.caller = llmProperties.retryingCaller(llm);
        this.prices = llmProperties.priceTable();
        this.faq = faq;
        this.clock = clock;
        this.knowledge = knowledge;
        this.memories = memories;
    }

    Generated generate(TurnContext context, TurnLedger ledger) {
        return context.endpoint().isPresent() ? fromModel(context, context.endpoint().get(), ledger) : fromFaq(context, ledger);
    }

    private Generated fromFaq(TurnContext context, TurnLedger ledger) {
        String customerText = context.customerText();
        var entries = context.agent().settings().faq().stream()
                .map(e -> new FaqResponder.FaqEntry(e.question(), e.answer())).toList();
        Optional<FaqResponder.FaqMatch> match = entries.isEmpty() ? Optional.empty() : faq.answer(customerText, entries);
        if (match.isEmpty()) {
            // a curated Q&A pair of the agent's knowledge bases answers as the FAQ does
            Optional<Passage> curated = knowledge.forAgent(context.knowledge(), customerText, 1).passages().stream()
                    .filter(Passage::curated).findFirst();
            if (curated.isPresent()) {
                String answer = curated.get().content().substring(curated.get().content().indexOf('\n') + 1).strip();
                match = Optional.of(new FaqResponder.FaqMatch(new FaqResponder.FaqEntry(curated.get().documentTitle(), answer),
                        curated.get().cosine()));
            }
        }
        if (match.isEmpty()) {
            return new Escalation("no FAQ answer for the question and no LLM is configured");
        }
        ledger.message(Map.of("role", "user", "content", customerText, "at", clock.instant().toString()));
        ledger.message(Map.of("role", "assistant", "content", match.get().entry().answer(), "source", "faq",
                "similarity", match.get().similarity(), "at", clock.instant().toString()));
        return new Answer(match.get().entry().answer(), ToolResult.FollowUp.NONE, null, null);
    }

    private Generated fromModel(TurnContext context, LlmEndpoint endpoint, TurnLedger ledger) {
        AiAgent agent = context.agent();
        var settings = agent.settings();
        Instant deadline = clock.instant().plusSeconds(settings.turnTimeoutSeconds());
        List<LlmTool> llmTools = context.tools().stream()
                .map(t -> new LlmTool(t.slug(), t.handler().description(), t.handler().parametersSchema())).toList();
        // voice notes transcribed, images described (or named as files the AI cannot open)
        MediaUnderstanding.Understood files = media.understand(context, ledger);
        if (!files.unreadable().isEmpty() && handoffWhenUnreadable) {
            return new Escalation("the customer sent a file the AI cannot open (" + MediaUnderstanding.kinds(files.unreadable()) + ")");
        }
        Retrieval known = knowledge.forAgent(context.knowledge(), files.customerText(context), KNOWLEDGE_PASSAGES);
        if (known.missingKnowledge()) {
            return new Escalation("missing_knowledge: the knowledge base has nothing relevant to the customer's question");
        }
        List<Memory> remembered = memories.recall(context.memories(), files.customerText(context), MEMORIES);
        List<LlmMessage> messages = prompt(context, known.passages(), remembered, files);
        ToolResult.FollowUp followUp = ToolResult.FollowUp.NONE;
        String followUpReason = null;
        UUID escalateTo = null;
        for (int round = 0; ; round++) {
            if (round > settings.maxToolRounds()) {
                return new Escalation("the AI reached " + settings.maxToolRounds() + " tool rounds without a final answer");
            }
            // prefer_tools: the first round must use a tool (e.g. look the answer up) rather than answer from memory
            LlmRequest request = new LlmRequest(endpoint, agent.model(), agent.temperature(), agent.maxTokens(), messages,
                    llmTools, Duration.ofSeconds(settings.turnTimeoutSeconds()), round == 0 && settings.preferTools() && !llmTools.isEmpty());
            LlmReply reply;
            try {
                reply = caller.callCountingAttempts(request, deadline).reply();
            } catch (LlmCallException e) {
                ledger.call(new TurnLedger.Call(agent.model(), null, null, Optional.empty(), "failed", e.reason().name()));
                return new Failure(e.reason(), e.getMessage());
            }
            ledger.call(new TurnLedger.Call(agent.model(), reply.usage(), reply.latency(), prices.cost(agent.model(), reply.usage()),
                    "ok", null));
            if (!reply.hasToolCalls()) {
                ledger.message(Map.of("role", "assistant", "content", reply.text(), "at", clock.instant().toString()));
                return new Answer(reply.text().trim(), followUp, followUpReason, escalateTo);
            }
            messages.add(new LlmMessage.Assistant(reply.text(), reply.toolCalls()));
            for (LlmToolCall call : reply.toolCalls()) {
                ToolResult result = runTool(context, call, ledger);
                messages.add(new LlmMessage.ToolResult(call.id(), call.name(), result.content()));
                ledger.message(Map.of("role", "tool", "tool", call.name(), "tool_call_id", call.id(), "arguments", call.argumentsJson(),
                        "result", result.content(), "success", result.success(), "at", clock.instant().toString()));
                if (result.followUp() != ToolResult.FollowUp.NONE) {
                    followUp = result.followUp();
                    followUpReason = result.reason();
                    escalateTo = result.escalateToUserId();
                }
            }
            int maxFailures = settings.escalation().maxToolFailures();
            if (ledger.toolFailures() >= maxFailures) {
                return new Failure(FailureReason.OTHER, "tools failed " + maxFailures + " times in this conversation");
            }
        }
    }

    private ToolResult runTool(TurnContext context, LlmToolCall call, TurnLedger ledger) {
        Instant started = clock.instant();
        Optional<AssignedTool> tool = context.tools().stream().filter(t -> t.slug().equals(call.name())).findFirst();
        ToolResult result;
        if (tool.isEmpty()) {
            result = ToolResult.failed("Error: the tool '" + call.name() + "' does not exist for this agent. Available: "
                    + context.tools().stream().map(AssignedTool::slug).collect(Collectors.joining(", ")));
        } else {
            // validates the arguments against the tool's schema; bad ones come back as an error the model can fix
            var conversation = context.conversation();
            result = tools.invoke(tool.get().handler(), new ToolContext(conversation.organizationId(), conversation.id(),
                    conversation.contactId(), context.agent().id(), tool.get().config()), call.argumentsJson());
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("tool", call.name());
        entry.put("arguments", call.argumentsJson());
        entry.put("result", result.content());
        entry.put("timestamp", started.toString());
        entry.put("duration_ms", Duration.between(started, clock.instant()).toMillis());
        entry.put("success", result.success());
        ledger.tool(new TurnLedger.ToolCall(call.name(), result.success(), entry));
        return result;
    }

    /**
     * System prompt + tool descriptions + contact and conversation context + the last {@code history_limit}
     * messages as user/assistant turns (long ones condensed), oldest first.
     */
    static List<LlmMessage> prompt(TurnContext context, List<Passage> passages, List<Memory> remembered) {
        return prompt(context, passages, remembered, MediaUnderstanding.Understood.NOTHING);
    }

    /** As above, with what the AI understood of the customer's files in place of their messages. */
    static List<LlmMessage> prompt(TurnContext context, List<Passage> passages, List<Memory> remembered,
                                   MediaUnderstanding.Understood files) {
        AiAgent agent = context.agent();
        Contact contact = context.contact();
        StringBuilder system = new StringBuilder(agent.prompt() == null ? "" : agent.prompt().trim());
        if (!context.tools().isEmpty()) {
            system.append("\n\nFerramentas disponíveis:\n");
            context.tools().forEach(t -> system.append("- ").append(t.slug()).append(": ").append(t.handler().description()).append('\n'));
        }
        system.append("\nContato: nome=").append(orDash(contact.name())).append(", telefone=").append(orDash(contact.phone()))
                .append(", email=").append(orDash(contact.email()));
        system.append("\nConversa: status=").append(context.conversation().status().db())
                .append(", etapa=").append(orDash(context.stageName()))
                .append(", tags=").append(String.join(", ", context.tags()));
        if (!remembered.isEmpty()) {
            system.append("\n\nO que sabemos do cliente por conversas anteriores:");
            remembered.forEach(m -> system.append("\n- ").append(m.fact()));
        }
        if (!passages.isEmpty()) {
            system.append("\n\nBase de conhecimento (responda com base nestes trechos e cite a fonte entre colchetes, ex.: [1]):");
            for (int i = 0; i < passages.size(); i++) {
                system.append("\n[").append(i + 1).append("] ").append(passages.get(i).source()).append(":\n")
                        .append(passages.get(i).content());
            }
        }
        if (!files.unreadable().isEmpty()) {
            system.append("\n\nO cliente enviou arquivo(s) (").append(MediaUnderstanding.kinds(files.unreadable()))
                    .append(") que você não consegue abrir: diga que não conseguiu abrir o arquivo e peça que escreva a mensagem em texto.");
        }
        List<LlmMessage> messages = new ArrayList<>();
        messages.add(new LlmMessage.System(system.toString()));
        for (Message m : context.history()) {
            String content = files.contents().containsKey(m.id()) ? files.contents().get(m.id()) : condensed(m.content());
            if (content.isBlank()) {
                continue;
            }
            messages.add(m.fromCustomer() ? new LlmMessage.User(content) : new LlmMessage.Assistant(content, List.of()));
        }
        return messages;
    }

    private static String condensed(String content) {
        if (content == null) {
            return "";
        }
        return content.length() <= CONDENSE_OVER ? content
                : content.substring(0, 350) + " […] " + content.substring(content.length() - 100);
    }

    private static String orDash(String value) {
        return value == null || value.isBlank() ? "-" : value;
    }
}
