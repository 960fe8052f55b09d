package io.switchboard.ai.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import io.switchboard.ai.AiAgentDraft;
import io.switchboard.ai.AiAgents;
import io.switchboard.contact.Contacts;
import io.switchboard.conversation.ChannelOrigin;
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.InboundMessage;
import io.switchboard.conversation.Inbox;
import io.switchboard.conversation.Message;
import io.switchboard.conversation.QueueTab;
import io.switchboard.database.TenantScope;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.Tenants;
import io.switchboard.support.Tenants.Tenant;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@IntegrationTest
class SystemToolsTest {

    @Autowired
    Tenants tenants;

    @Autowired
    ToolRegistry registry;

    @Autowired
    AiAgents agents;

    @Autowired
    Conversations conversations;

    @Autowired
    Inbox inbox;

    @Autowired
    Contacts contacts;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    SchedulerClient scheduler;

    @Autowired
    JsonMapper json;

    Tenant tenant;
    UUID aiAgentId;
    UUID channelAccountId;
    Conversation conversation;

    @BeforeEach
    void aCustomerWritesToAnAiAgent() {
        tenant = tenants.create("Tools");
        inTenant(() -> {
            UUID funnel = jdbc.sql("insert into funnels (organization_id, name, is_default) values (?, 'Vendas', true) returning id")
                    .param(tenant.id()).query(UUID.class).single();
            jdbc.sql("insert into funnel_stages (organization_id, funnel_id, name, position) values (?, ?, 'Entrada', 0), (?, ?, 'Qualificado', 1)")
                    .params(tenant.id(), funnel, tenant.id(), funnel).update();
            // a long context timer keeps the AI's own turn from answering (and escalating) during these tests
            aiAgentId = agents.create(tenant.id(), new AiAgentDraft("Sofia", null, null, null, null, null, null, null,
                    null, json.readTree("{\"context_timer_seconds\": 3600}"), null)).id();
            channelAccountId = jdbc.sql("insert into channel_accounts (organization_id, type, name) values (?, 'webchat', 'Site') returning id")
                    .param(tenant.id()).query(UUID.class).single();
            conversation = customerWrites("Oi, quero um orçamento");
            return null;
        });
    }

    @Test
    void everySystemToolIsRegisteredWithAClosedSchema() {
        assertThat(registry.all()).extracting(ToolHandler::slug).containsExactly(
                "adicionar_tag", "agendar_followup", "atualizar_contato", "buscar_atividades", "buscar_conversas_anteriores",
                "buscar_documento", "buscar_pedido_woocommerce", "buscar_produto_woocommerce", "consultar_dados_cliente",
                "criar_atividade", "encerrar_conversa", "enviar_documento", "extrair_informacao_documento", "listar_pedidos_cliente_woocommerce", "mover_para_etapa", "obter_estatisticas_conversas",
                "transferir_para_agente", "verificar_estoque_woocommerce");
        for (ToolHandler handler : registry.all()) {
            JsonNode schema = json.readTree(handler.parametersSchema());
            assertThat(schema.get("type").asString()).isEqualTo("object");
            assertThat(schema.get("additionalProperties").booleanValue()).as(handler.slug()).isFalse();
            assertThat(handler.description()).isNotBlank();
        }
    }

    @Test
    void adicionarTagTagsTheConversation() {
        ToolResult result = invoke("adicionar_tag", "{\"tag\": \"orcamento\"}");

        assertThat(result.success()).as(result.content()).isTrue();
        assertThat(inTenant(() -> conversations.tags(conversation.id()))).containsExactly("orcamento");
    }

    @Test
    void invalidArgumentsNeverReachTheTool() {
        ToolResult result = invoke("adicionar_tag", "{\"etiqueta\": \"x\"}");

        assertThat(result.success()).isFalse();
        assertThat(result.content()).contains("missing required field 'tag'").contains("unexpected field 'etiqueta'");
        assertThat(inTenant(() -> conversations.tags(conversation.id()))).isEmpty();
    }

    @Test
    void atualizarContatoUpdatesTheContact() {
        ToolResult result = invoke("atualizar_contato", "{\"nome\": \"Maria Souza\", \"email\": \"Maria@Example.com\", \"telefone\": \"+55 11 91234-5678\"}");

        assertThat(result.success()).as(result.content()).isTrue();
        var contact = inTenant(() -> contacts.find(conversation.contactId())).orElseThrow();
        assertThat(contact.name()).isEqualTo("Maria Souza");
        assertThat(contact.email()).isEqualTo("maria@example.com");
        assertThat(contact.phone()).isEqualTo("+55 11 91234-5678");
    }

    @Test
    void atualizarContatoRefusesABadEmailAndAnEmptyCall() {
        ToolResult badEmail = invoke("atualizar_contato", "{\"email\": \"maria@\"}");
        assertThat(badEmail.success()).isFalse();
        assertThat(badEmail.content()).contains("e-mail 'maria@' não é válido");

        ToolResult nothing = invoke("atualizar_contato", "{}");
        assertThat(nothing.success()).isFalse();
        assertThat(nothing.content()).contains("pelo menos um campo");

        assertThat(inTenant(() -> contacts.find(conversation.contactId())).orElseThrow().email()).isNull();
    }

    @Test
    void criarAtividadeLeavesATaskForTheTeam() {
        Instant before = Instant.now();
        ToolResult result = invoke("criar_atividade",
                "{\"titulo\": \"Enviar orçamento\", \"descricao\": \"Plano anual\", \"tipo\": \"ligacao\", \"vencimento_em_horas\": 24}");

        assertThat(result.success()).as(result.content()).isTrue();
        var activity = inTenant(() -> jdbc.sql("select title, description, type, contact_id, conversation_id, ai_agent_id, due_at from activities")
                .query((rs, n) -> new Object[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getObject(4, UUID.class),
                        rs.getObject(5, UUID.class), rs.getObject(6, UUID.class), rs.getTimestamp(7).toInstant()})
                .single());
        assertThat(activity[0]).isEqualTo("Enviar orçamento");
        assertThat(activity[1]).isEqualTo("Plano anual");
        assertThat(activity[2]).isEqualTo("call");
        assertThat(activity[3]).isEqualTo(conversation.contactId());
        assertThat(activity[4]).isEqualTo(conversation.id());
        assertThat(activity[5]).isEqualTo(aiAgentId);
        assertThat((Instant) activity[6]).isBetween(before.plus(Duration.ofHours(24)), Instant.now().plus(Duration.ofHours(24)));
    }

    @Test
    void moverParaEtapaMovesTheConversationByStageName() {
        ToolResult result = invoke("mover_para_etapa", "{\"etapa\": \"qualificado\"}");

        assertThat(result.success()).as(result.content()).isTrue();
        UUID stage = inTenant(() -> conversations.find(conversation.id()).stageId());
        assertThat(inTenant(() -> jdbc.sql("select name from funnel_stages where id = ?").param(stage).query(String.class).single()))
                .isEqualTo("Qualificado");
    }

    @Test
    void moverParaEtapaListsTheAvailableStagesWhenTheStageIsUnknown() {
        ToolResult result = invoke("mover_para_etapa", "{\"etapa\": \"Fechado\"}");

        assertThat(result.success()).isFalse();
        assertThat(result.content()).isEqualTo("etapa 'Fechado' não encontrada; etapas disponíveis: Entrada, Qualificado");
    }

    @Test
    void transferirParaAgenteAsksTheTurnToEscalateWithTheReason() {
        ToolResult toQueue = invoke("transferir_para_agente", "{\"motivo\": \"cliente pediu um humano\"}");

        assertThat(toQueue.followUp()).isEqualTo(ToolResult.FollowUp.ESCALATE);
        assertThat(toQueue.reason()).isEqualTo("cliente pediu um humano");
        assertThat(toQueue.escalateToUserId()).isNull();
        assertThat(inTenant(() -> conversations.find(conversation.id())).agentId()).as("the turn hands off, not the tool").isNull();

        ToolResult toPerson = invoke("transferir_para_agente",
                "{\"motivo\": \"negociação\", \"agente\": \"" + tenant.agent().email().toUpperCase() + "\"}");
        assertThat(toPerson.followUp()).isEqualTo(ToolResult.FollowUp.ESCALATE);
        assertThat(toPerson.escalateToUserId()).isEqualTo(tenant.agent().id());

        ToolResult toStranger = invoke("transferir_para_agente", "{\"motivo\": \"x\", \"agente\": \"nobody@example.test\"}");
        assertThat(toStranger.success()).isFalse();
        assertThat(toStranger.followUp()).isEqualTo(ToolResult.FollowUp.NONE);
    }

    @Test
    void encerrarConversaAsksTheTurnToCloseAfterTheReply() {
        ToolResult result = invoke("encerrar_conversa", "{\"motivo\": \"dúvida resolvida\"}");

        assertThat(result.followUp()).isEqualTo(ToolResult.FollowUp.CLOSE);
        assertThat(result.reason()).isEqualTo("dúvida resolvida");
        assertThat(inTenant(() -> conversations.find(conversation.id())).status().db()).isEqualTo("open");
    }

    @Test
    void buscarConversasAnterioresSummarizesTheContactsEarlierConversations() {
        inTenant(() -> conversations.close(conversation.id(), "system", null));
        Conversation current = inTenant(() -> customerWrites("Voltei!"));
        assertThat(current.id()).isNotEqualTo(conversation.id());

        ToolResult result = inTenant(() -> registry.invoke(registry.find("buscar_conversas_anteriores").orElseThrow(),
                new ToolContext(tenant.id(), current.id(), current.contactId(), aiAgentId, json.createObjectNode()), "{}"));

        assertThat(result.success()).as(result.content()).isTrue();
        JsonNode content = json.readTree(result.content());
        assertThat(content.get("total").asInt()).isEqualTo(1);
        JsonNode previous = content.get("conversas").get(0);
        assertThat(previous.get("status").asString()).isEqualTo("closed");
        assertThat(previous.get("ultimas_mensagens").get(0).get("texto").asString()).isEqualTo("Oi, quero um orçamento");
        assertThat(previous.get("ultimas_mensagens").get(0).get("de").asString()).isEqualTo("cliente");
    }

    @Test
    void agendarFollowupSchedulesADurableTaskThatSendsTheMessageWhenDue() {
        Instant before = Instant.now();
        ToolResult result = invoke("agendar_followup", "{\"mensagem\": \"Conseguiu ver a proposta?\", \"em_minutos\": 30}");

        assertThat(result.success()).as(result.content()).isTrue();
        JsonNode content = json.readTree(result.content());
        Instant sendAt = Instant.parse(content.get("enviar_em").asString());
        assertThat(sendAt).isBetween(before.plus(Duration.ofMinutes(30)).minusSeconds(1), Instant.now().plus(Duration.ofMinutes(30)));
        var taskId = FollowUps.TASK.instanceId(content.get("follow_up_id").asString());
        assertThat(scheduler.getScheduledExecution(taskId)).hasValueSatisfying(
                execution -> assertThat(execution.getExecutionTime()).isEqualTo(sendAt));

        scheduler.reschedule(taskId, Instant.now().plusSeconds(1));

        Message sent = eventually(() -> inTenant(() -> inbox.messages(conversation.id())).stream()
                .filter(m -> m.metadata().contains("follow_up")).findFirst());
        assertThat(sent.content()).isEqualTo("Conseguiu ver a proposta?");
        assertThat(sent.senderType().db()).isEqualTo("ai_agent");
        assertThat(sent.aiAgentId()).isEqualTo(aiAgentId);
        assertThat(json.readTree(sent.metadata()).get("follow_up").booleanValue()).isTrue();
    }

    @Test
    void aFollowupDueAfterAPersonTookOverIsSkippedAndRecorded() {
        ToolResult result = invoke("agendar_followup", "{\"mensagem\": \"Ainda por aí?\", \"em_horas\": 2}");
        var taskId = FollowUps.TASK.instanceId(json.readTree(result.content()).get("follow_up_id").asString());
        inTenant(() -> conversations.assignToHuman(conversation.id(), tenant.agent().id(), tenant.agent().id()));

        scheduler.reschedule(taskId, Instant.now().plusSeconds(1));

        var skipped = eventually(() -> inTenant(() -> inbox.events(conversation.id())).stream()
                .filter(e -> e.type().equals("follow_up_skipped")).findFirst());
        assertThat(skipped.data()).contains("a person is handling the conversation");
        assertThat(inTenant(() -> inbox.messages(conversation.id()))).noneMatch(m -> "Ainda por aí?".equals(m.content()));
    }

    @Test
    void agendarFollowupNeedsExactlyOneDelay() {
        assertThat(invoke("agendar_followup", "{\"mensagem\": \"Oi\"}").content()).contains("em_horas ou em_minutos");
        assertThat(invoke("agendar_followup", "{\"mensagem\": \"Oi\", \"em_horas\": 1, \"em_minutos\": 5}").success()).isFalse();
        assertThat(invoke("agendar_followup", "{\"mensagem\": \"Oi\", \"em_minutos\": \"cinco\"}").content())
                .contains("field 'em_minutos' must be an integer");
    }

    @Test
    void theSafeDatabaseToolsReadOnlyThisCustomerAndThisOrganization() {
        invoke("atualizar_contato", "{\"email\": \"maria@example.com\"}");
        invoke("adicionar_tag", "{\"tag\": \"vip\"}");
        invoke("criar_atividade", "{\"titulo\": \"Ligar para Maria\", \"tipo\": \"ligacao\"}");
        Tenant other = tenants.create("Tools Other");
        TenantScope.run(other.id(), () -> jdbc.sql("insert into contacts (organization_id, name, email) values (?, 'Outra', 'outra@example.com')")
                .param(other.id()).update());

        JsonNode customer = json.readTree(invoke("consultar_dados_cliente", "{}").content());
        JsonNode activities = json.readTree(invoke("buscar_atividades", "{}").content());
        JsonNode statistics = json.readTree(invoke("obter_estatisticas_conversas", "{\"dias\": 7}").content());

        assertThat(customer.get("email").asString()).isEqualTo("maria@example.com");
        assertThat(customer.get("conversas").asLong()).isEqualTo(1);
        assertThat(customer.get("tarefas_em_aberto").asLong()).isEqualTo(1);
        assertThat(customer.toString()).doesNotContain("outra@example.com");
        assertThat(activities.get("atividades")).hasSize(1);
        assertThat(activities.get("atividades").get(0).get("titulo").asString()).isEqualTo("Ligar para Maria");
        assertThat(statistics.get("total").asLong()).as("only this organization's conversations").isEqualTo(1);
        assertThat(invoke("buscar_atividades", "{\"situacao\": \"concluidas\"}").content()).contains("\"atividades\":[]");
    }

    private ToolResult invoke(String slug, String argumentsJson) {
        return inTenant(() -> registry.invoke(registry.find(slug).orElseThrow(),
                new ToolContext(tenant.id(), conversation.id(), conversation.contactId(), aiAgentId, json.createObjectNode()),
                argumentsJson));
    }

    private Conversation customerWrites(String text) {
        return conversations.ingest(new InboundMessage(tenant.id(),
                new ChannelOrigin(channelAccountId, "webchat", QueueTab.SUPPORT, false, aiAgentId), "visitor-1", "Maria",
                null, UUID.randomUUID().toString(), text, "text", null, null, null)).conversation();
    }

    private <T> T inTenant(Supplier<T> work) {
        return TenantScope.call(tenant.id(), work);
    }

    private static <T> T eventually(Supplier<Optional<T>> probe) {
        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline)) {
            Optional<T> found = probe.get();
            if (found.isPresent()) {
                return found.get();
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("not within 20 s");
    }
}
