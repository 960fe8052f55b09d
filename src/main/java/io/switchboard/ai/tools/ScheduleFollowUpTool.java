package io.switchboard.ai.tools;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code agendar_followup}: the AI promises to come back later ("te lembro amanhã") and the promise is kept
 * by a durable scheduled message — unless a person took over or the conversation closed by then.
 */
@Component
class ScheduleFollowUpTool implements ToolHandler {

    /** A follow-up further out than this is a task for the team, not a chat message. */
    static final Duration MAX_DELAY = Duration.ofDays(30);

    private final FollowUps followUps;
    private final JsonMapper json;
    private final Clock clock;

    ScheduleFollowUpTool(FollowUps followUps, JsonMapper json, Clock clock) {
        this.followUps = followUps;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public String slug() {
        return "agendar_followup";
    }

    @Override
    public String description() {
        return "Agenda uma mensagem de acompanhamento para o cliente daqui a algum tempo (em horas ou em minutos; "
                + "informe só um dos dois). Ela não é enviada se um atendente assumir ou a conversa for encerrada antes.";
    }

    @Override
    public String parametersSchema() {
        return """
                {"type": "object",
                 "properties": {
                   "mensagem": {"type": "string", "minLength": 1, "maxLength": 1000,
                                "description": "O texto que será enviado ao cliente"},
                   "em_horas": {"type": "number", "minimum": 0.05, "maximum": 720,
                                "description": "Daqui a quantas horas enviar"},
                   "em_minutos": {"type": "integer", "minimum": 1, "maximum": 43200,
                                  "description": "Daqui a quantos minutos enviar"}
                 },
                 "required": ["mensagem"],
                 "additionalProperties": false}""";
    }

    @Override
    public ToolResult execute(ToolContext context, JsonNode arguments) {
        String message = arguments.get("mensagem").asString().trim();
        if (message.isEmpty()) {
            return ToolResult.failed("informe a mensagem do acompanhamento");
        }
        boolean hours = arguments.path("em_horas").isNumber();
        boolean minutes = arguments.path("em_minutos").isNumber();
        if (hours == minutes) {
            return ToolResult.failed(hours ? "informe só um prazo: em_horas ou em_minutos, não os dois"
                    : "informe quando enviar: em_horas ou em_minutos");
        }
        Duration delay = hours ? Duration.ofSeconds(Math.round(arguments.get("em_horas").doubleValue() * 3600))
                : Duration.ofMinutes(arguments.get("em_minutos").asLong());
        if (delay.compareTo(MAX_DELAY) > 0) {
            return ToolResult.failed("o prazo máximo é de 30 dias; para prazos maiores use criar_atividade");
        }
        // whole seconds: what the customer is told and what the scheduler stores are then the same instant
        Instant at = clock.instant().plus(delay).truncatedTo(ChronoUnit.SECONDS);
        FollowUp followUp = followUps.schedule(context.organizationId(), context.conversationId(), context.aiAgentId(),
                message, at);
        ObjectNode content = json.createObjectNode();
        content.put("agendado", true);
        content.put("enviar_em", at.toString());
        content.put("follow_up_id", followUp.id().toString());
        return ToolResult.ok(content.toString());
    }
}
