package io.switchboard.ai.turn;

import io.switchboard.ai.AgentTool;
import io.switchboard.ai.AiAgent;
import io.switchboard.ai.AssignedTool;
import io.switchboard.ai.LlmConnections;
import io.switchboard.ai.Rehearsals;
import io.switchboard.ai.llm.LlmClient;
import io.switchboard.ai.llm.LlmMessage;
import io.switchboard.ai.llm.LlmProperties;
import io.switchboard.ai.llm.RetryingLlmCaller;
import io.switchboard.ai.tools.OrganizationTool;
import io.switchboard.ai.tools.ToolContext;
import io.switchboard.ai.tools.ToolHandler;
import io.switchboard.ai.tools.ToolRegistry;
import io.switchboard.ai.tools.ToolResult;
import io.switchboard.contact.Contact;
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.ConversationStatus;
import io.switchboard.conversation.Message;
import io.switchboard.conversation.MessageStatus;
import io.switchboard.conversation.QueueTab;
import io.switchboard.conversation.SenderType;
import io.switchboard.knowledge.AgentKnowledge;
import io.switchboard.knowledge.ContactMemories;
import io.switchboard.knowledge.KnowledgeSearch;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link Rehearsals}: the turn's own {@link AnswerGeneration} over an in-memory conversation. The agent's tools
 * keep their names, descriptions and schemas (arguments are validated as in a real turn) but answer from the
 * fixtures; the ledger stays in memory, so no {@code llm_calls} row is written and no limit is consumed.
 */
@Component
class RehearsedTurns implements Rehearsals {

    static final String NO_FIXTURE = "no fixture for ";
    private static final String HANDOFF_TOOL = "transferir_para_agente";
    private static final String CLOSING_TOOL = "encerrar_conversa";

    /** What the simulated customer writes to end the conversation. */
    static final String STOP = "###STOP###";

    private final AnswerGeneration generation;
    private final RetryingLlmCaller caller;
    private final LlmConnections endpoints;
    private final ToolRegistry registry;
    private final KnowledgeSearch knowledge;
    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;

    RehearsedTurns(AnswerGeneration generation, LlmConnections endpoints, ToolRegistry registry, KnowledgeSearch knowledge,
                   JdbcClient jdbc, JsonMapper json, Clock clock, LlmClient llm, LlmProperties llmProperties) {
        this.generation = generation;
        this.caller = llmProperties.retryingCaller(llm);
        this.endpoints = endpoints;
        this.registry = registry;
        this.knowledge = knowledge;
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public Result rehearse(Rehearsal rehearsal) {
        AiAgent agent = rehearsal.agent();
        Instant start = clock.instant();
        Conversation conversation = new Conversation(UUID.randomUUID(), agent.organizationId(), UUID.randomUUID(), null,
                "rehearsal", QueueTab.SUPPORT, ConversationStatus.OPEN, null, agent.id(), null, null, null, "normal", null,
                false, null, null, false, null, start, start, null, start);
        Customer customer = rehearsal.customer() == null ? Customer.ANONYMOUS : rehearsal.customer();
        Contact contact = new Contact(conversation.contactId(), agent.organizationId(), customer.name(), customer.phone(),
                customer.email(), "{}", null, null, null, start);
        List<AssignedTool> tools = standIns(agent, rehearsal.fixtures());
        var endpoint = endpoints.current();
        AgentKnowledge bases = knowledge.basesOf(agent.id());
        List<Message> history = new ArrayList<>();
        for (Exchange earlier : rehearsal.earlier()) {
            history.add(message(conversation, true, earlier.customer()));
            if (earlier.answer() != null && !earlier.answer().isBlank()) {
                history.add(message(conversation, false, earlier.answer()));
            }
        }
        long customerMessages = history.stream().filter(Message::fromCustomer).count();
        List<TurnResult> results = new ArrayList<>();
        Outcome outcome = Outcome.ANSWERED;
        for (List<String> turn : rehearsal.turns()) {
            List<Message> pending = turn.stream().map(text -> message(conversation, true, text)).toList();
            history.addAll(pending);
            customerMessages += pending.size();
            int limit = agent.settings().historyLimit();
            TurnContext context = new TurnContext(conversation, agent, pending,
                    List.copyOf(history.subList(Math.max(0, history.size() - limit), history.size())), contact, List.of(),
                    null, "pt-BR", tools, endpoint, customerMessages, 0, bases, ContactMemories.Recollection.NONE);
            TurnResult result = turn(context, turn);
            results.add(result);
            outcome = result.outcome();
            if (result.answer() != null) {
                history.add(message(conversation, false, result.answer()));
            }
            if (outcome.kind() != OutcomeKind.ANSWERED) {
                break; // a person or nobody takes the rest of the script
            }
        }
        return new Result(List.copyOf(results), outcome);
    }

    private TurnResult turn(TurnContext context, List<String> customer) {
        Instant started = clock.instant();
        String systemPrompt = systemPrompt(context);
        TurnLedger ledger = new TurnLedger(0);
        Optional<String> trigger = context.agent().enabled() ? TurnGuards.escalationTrigger(context)
                : Optional.of("the conversation's AI agent is disabled");
        String answer = null;
        Outcome outcome;
        if (trigger.isPresent()) {
            outcome = new Outcome(OutcomeKind.HANDOFF, trigger.get());
        } else {
            AnswerGeneration.Generated generated = generation.generate(context, ledger);
            if (generated instanceof AnswerGeneration.Answer a && !a.text().isBlank()) {
                answer = a.text();
                outcome = switch (a.followUp()) {
                    case ESCALATE -> new Outcome(OutcomeKind.HANDOFF, a.reason());
                    case CLOSE -> new Outcome(OutcomeKind.CLOSED, a.reason());
                    case NONE -> Outcome.ANSWERED;
                };
            } else if (generated instanceof AnswerGeneration.Failure f) {
                outcome = new Outcome(OutcomeKind.HANDOFF, "fallback: " + f.reason().describe() + (f.detail() == null ? "" : " (" + f.detail() + ")"));
            } else if (generated instanceof AnswerGeneration.Escalation e) {
                outcome = new Outcome(OutcomeKind.HANDOFF, e.reason());
            } else {
                outcome = new Outcome(OutcomeKind.HANDOFF, "fallback: the model returned an empty answer");
            }
        }
        long prompt = 0;
        long completion = 0;
        BigDecimal cost = BigDecimal.ZERO;
        for (TurnLedger.Call call : ledger.calls()) {
            if (call.usage() == null) {
                continue;
            }
            prompt += call.usage().promptTokens();
            completion += call.usage().completionTokens();
            cost = cost == null || call.cost().isEmpty() ? null : cost.add(call.cost().get());
        }
        List<ToolCall> calls = ledger.tools().stream().map(t -> {
            Map<String, Object> e = t.entry();
            String result = String.valueOf(e.get("result"));
            return new ToolCall(t.tool(), String.valueOf(e.get("arguments")), result, t.success(), !result.startsWith(NO_FIXTURE));
        }).toList();
        return new TurnResult(List.copyOf(customer), answer, calls, ledger.calls().size(), prompt, completion, cost,
                systemPrompt, Duration.between(started, clock.instant()).toMillis(), outcome);
    }

    /** The system prompt the model reads for this turn (what the playground shows as its context). */
    private String systemPrompt(TurnContext context) {
        if (context.endpoint().isEmpty()) {
            return "";
        }
        var passages = knowledge.forAgent(context.knowledge(), context.customerText(), AnswerGeneration.KNOWLEDGE_PASSAGES).passages();
        return AnswerGeneration.prompt(context, passages, List.of()).stream().filter(m -> m instanceof LlmMessage.System)
                .map(m -> ((LlmMessage.System) m).text()).findFirst().orElse("");
    }

    /** The agent's enabled tools, each answering from the fixtures instead of its backend. */
    private List<AssignedTool> standIns(AiAgent agent, Fixtures fixtures) {
        Set<String> offInOrganization = registry.organizationTools(agent.organizationId()).stream()
                .filter(t -> !t.enabled()).map(OrganizationTool::slug).collect(Collectors.toSet());
        List<AssignedTool> tools = new ArrayList<>();
        for (AgentTool tool : agent.tools()) {
            if (!tool.enabled() || offInOrganization.contains(tool.slug())) {
                continue;
            }
            registry.find(agent.organizationId(), tool.slug()).ifPresent(handler -> tools.add(new AssignedTool(
                    new FixtureHandler(handler, fixtures),
                    tool.config() == null || tool.config().isNull() ? json.createObjectNode() : tool.config())));
        }
        return tools;
    }

    /** A tool as the model sees it, answered by a fixture. Handing over and closing act as in a turn by default. */
    private record FixtureHandler(ToolHandler real, Fixtures fixtures) implements ToolHandler {

        @Override
        public String slug() {
            return real.slug();
        }

        @Override
        public String description() {
            return real.description();
        }

        @Override
        public String parametersSchema() {
            return real.parametersSchema();
        }

        @Override
        public ToolResult execute(ToolContext context, JsonNode arguments) {
            Optional<ToolResult> fixed = fixtures == null ? Optional.empty() : fixtures.answer(real.slug(), arguments);
            if (fixed.isPresent()) {
                return fixed.get();
            }
            String reason = arguments.path("motivo").asString(arguments.path("reason").asString("requested by the AI"));
            return switch (real.slug()) {
                case HANDOFF_TOOL -> ToolResult.escalate("{\"transferido\": true}", reason);
                case CLOSING_TOOL -> ToolResult.closeAfterReply("{\"encerrada\": true}", reason);
                default -> ToolResult.failed(NO_FIXTURE + real.slug() + " with " + arguments
                        + ": this is a test run, add a fixture for this call");
            };
        }
    }

    private static Message message(Conversation conversation, boolean fromCustomer, String text) {
        return new Message(UUID.randomUUID(), conversation.organizationId(), conversation.id(), null,
                fromCustomer ? "inbound" : "outbound", fromCustomer ? SenderType.CONTACT : SenderType.AI_AGENT, null,
                fromCustomer ? null : conversation.aiAgentId(), text, "text", null, false,
                fromCustomer ? MessageStatus.RECEIVED : MessageStatus.SENT, null, null, null, null, Instant.now());
    }

    @Override
    public Optional<String> simulatedCustomer(AiAgent agent, String persona, String goal, List<Exchange> soFar) {
        var endpoint = endpoints.current();
        if (endpoint.isEmpty()) {
            return Optional.empty();
        }
        List<LlmMessage> messages = new ArrayList<>();
        messages.add(new LlmMessage.System("""
                You are simulating a customer who writes to a company's support on WhatsApp, to test its AI agent.
                Persona: %s
                Goal: %s
                Write only the customer's next message: short, informal, in the customer's language. Reveal details
                (order numbers, e-mail, names) only when the agent asks for them. When the goal is reached, or the
                conversation cannot get any further, reply exactly %s and nothing else."""
                .formatted(persona == null ? "-" : persona, goal == null ? "-" : goal, STOP)));
        // roles are swapped: the simulator speaks as the customer, the agent's answers are what it reads
        for (Exchange e : soFar) {
            messages.add(new LlmMessage.Assistant(e.customer(), List.of()));
            if (e.answer() != null) {
                messages.add(new LlmMessage.User(e.answer()));
            }
        }
        if (soFar.isEmpty()) {
            messages.add(new LlmMessage.User("(the conversation starts: write your first message)"));
        }
        var request = new io.switchboard.ai.llm.LlmRequest(endpoint.get(), agent.model(), 1.0, 300, messages, List.of(),
                Duration.ofSeconds(agent.settings().turnTimeoutSeconds()), false);
        try {
            String text = caller.call(request, clock.instant().plusSeconds(agent.settings().turnTimeoutSeconds())).text();
            return text == null || text.isBlank() || text.contains(STOP) ? Optional.empty() : Optional.of(text.strip());
        } catch (io.switchboard.ai.llm.LlmCallException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<Verdict> judge(AiAgent agent, String criterion, List<Exchange> conversation) {
        var endpoint = endpoints.current();
        if (endpoint.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder transcript = new StringBuilder();
        for (Exchange e : conversation) {
            transcript.append("CUSTOMER: ").append(e.customer()).append('\n')
                    .append("AGENT: ").append(e.answer() == null ? "(no answer)" : e.answer()).append('\n');
        }
        List<LlmMessage> messages = List.of(new LlmMessage.System("""
                        You are judging a conversation between a customer and a company's AI agent, for a test.
                        Decide whether this criterion holds: %s
                        Answer with PASS or FAIL on the first line, then one sentence saying why."""
                        .formatted(criterion)),
                new LlmMessage.User(transcript.toString()));
        var request = new io.switchboard.ai.llm.LlmRequest(endpoint.get(), agent.model(), 0.0, 200, messages, List.of(),
                Duration.ofSeconds(agent.settings().turnTimeoutSeconds()), false);
        try {
            String text = caller.call(request, clock.instant().plusSeconds(agent.settings().turnTimeoutSeconds())).text();
            if (text == null || text.isBlank()) {
                return Optional.empty();
            }
            String verdict = text.strip();
            boolean holds = verdict.toUpperCase(java.util.Locale.ROOT).startsWith("PASS");
            if (!holds && !verdict.toUpperCase(java.util.Locale.ROOT).startsWith("FAIL")) {
                return Optional.empty();
            }
            return Optional.of(new Verdict(holds, verdict.substring(4).replaceFirst("^[\\s:.-]+", "").strip()));
        } catch (io.switchboard.ai.llm.LlmCallException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<Recording> recording(UUID conversationId) {
        record Ai(UUID agentId, boolean escalated, String reason) {
        }
        List<Ai> ais = jdbc.sql("select ai_agent_id, status, escalation_reason from ai_conversations where conversation_id = ? order by created_at")
                .param(conversationId)
                .query((rs, n) -> new Ai(rs.getObject(1, UUID.class), "escalated".equals(rs.getString(2)), rs.getString(3))).list();
        if (ais.isEmpty()) {
            return Optional.empty();
        }
        Ai last = ais.get(ais.size() - 1);
        List<RecordedToolCall> calls = jdbc.sql("""
                        select t.entry::text from ai_tool_calls t join ai_conversations a on a.id = t.ai_conversation_id
                        where a.conversation_id = ? order by t.seq""")
                .param(conversationId).query(String.class).list().stream().map(json::readTree)
                .map(e -> new RecordedToolCall(e.path("tool").asString(), e.path("arguments").asString("{}"),
                        e.path("result").asString(""), e.path("success").asBoolean(true),
                        e.hasNonNull("timestamp") ? Instant.parse(e.get("timestamp").asString()) : null))
                .toList();
        return Optional.of(new Recording(last.agentId(), calls, last.escalated(), last.reason()));
    }

    @Override
    public List<Handled> recentConversations(UUID aiAgentId, int limit) {
        return jdbc.sql("""
                        select conversation_id, updated_at, tokens_used, status from ai_conversations
                        where ai_agent_id = ? order by updated_at desc limit ?""")
                .params(aiAgentId, limit)
                .query((rs, n) -> new Handled(rs.getObject(1, UUID.class), rs.getTimestamp(2).toInstant(), rs.getLong(3),
                        "escalated".equals(rs.getString(4))))
                .list();
    }
}
