package io.switchboard.demo;

import io.switchboard.ai.AiAgent;
import io.switchboard.ai.AiAgentDraft;
import io.switchboard.ai.AiAgents;
import io.switchboard.channel.ChannelAccounts;
import io.switchboard.channel.ChannelType;
import io.switchboard.conversation.Funnels;
import io.switchboard.conversation.QueueTab;
import io.switchboard.database.TenantScope;
import io.switchboard.identity.Organizations;
import io.switchboard.identity.Role;
import io.switchboard.identity.Users;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Creates the demo organization on first start: an admin and an agent, a web chat channel account on
 * {@code /demo}, and an AI agent with an FAQ that answers without any LLM key. Idempotent: the
 * organization's slug marks it as done, and nodes starting together create it once.
 */
@Component
@Order(10)
class DemoWorkspace implements ApplicationRunner {

    static final String SLUG = "demo";
    static final String ADMIN_EMAIL = "admin@demo.switchboard";
    static final String AGENT_EMAIL = "agent@demo.switchboard";

    private static final Logger log = LoggerFactory.getLogger(DemoWorkspace.class);

    private final DemoProperties properties;
    private final Organizations organizations;
    private final Users users;
    private final Funnels funnels;
    private final AiAgents agents;
    private final ChannelAccounts accounts;
    private final JsonMapper json;
    private final TransactionTemplate transaction;
    private final Environment environment;

    DemoWorkspace(DemoProperties properties, Organizations organizations, Users users, Funnels funnels, AiAgents agents,
                  ChannelAccounts accounts, JsonMapper json, TransactionTemplate transaction, Environment environment) {
        this.environment = environment;
        this.properties = properties;
        this.organizations = organizations;
        this.users = users;
        this.funnels = funnels;
        this.agents = agents;
        this.accounts = accounts;
        this.json = json;
        this.transaction = transaction;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!properties.enabledOn(environment) || organizations.findBySlug(SLUG).isPresent()) {
            return;
        }
        // One transaction in system scope: the organization does not exist yet to scope it to. Under the
        // first-start lock, and checked again inside it: another node starting at the same moment may have won.
        UUID organizationId = TenantScope.asSystem(() -> transaction.execute(status -> {
            organizations.lockFirstStartSetup();
            if (organizations.findBySlug(SLUG).isPresent()) {
                return null;
            }
            var organization = organizations.create("Demo Store", SLUG, "pt-BR");
            TenantScope.run(organization.id(), () -> populate(organization.id()));
            return organization.id();
        }));
        if (organizationId == null) {
            return;
        }
        log.info("Demo workspace created: sign in at /login as {} or {} (password '{}')", ADMIN_EMAIL, AGENT_EMAIL,
                properties.password());
        log.debug("Demo organization {}", organizationId);
    }

    private void populate(UUID organizationId) {
        users.create(organizationId, ADMIN_EMAIL, "Ana Admin", properties.password(), Role.ADMIN);
        users.create(organizationId, AGENT_EMAIL, "Bruno Atendente", properties.password(), Role.AGENT);
        funnels.createDefault("Vendas", List.of("Entrada", "Qualificação", "Proposta", "Atendimento humano", "Ganho"), 3);
        AiAgent lia = agents.create(organizationId, new AiAgentDraft("Lia", "Atende dúvidas da loja", "SUPPORT", PROMPT,
                "gpt-4o-mini", null, null, true, null, json.readTree(SETTINGS), List.of()));
        accounts.create(new ChannelAccounts.Draft(ChannelType.WEBCHAT, "Site (web chat)",
                Map.of("title", "Demo Store", "greeting", "Olá! Como podemos ajudar?"), lia.id(), QueueTab.SUPPORT,
                null, null, true));
    }

    private static final String PROMPT = """
            Você é a Lia, atendente virtual da Demo Store. Responda em português, com frases curtas e simpáticas.
            Se não souber a resposta, diga que vai chamar um atendente humano.""";

    /** Several phrasings per answer: the bundled embedding model is English-first, so Portuguese needs closer matches. */
    private static final String SETTINGS = """
            {
              "response_delay_min": 1, "response_delay_max": 2, "context_timer_seconds": 2,
              "history_limit": 20, "turn_timeout_seconds": 120, "max_tool_rounds": 5,
              "welcome_message": "Olá! Eu sou a Lia, assistente virtual da Demo Store. Como posso ajudar?",
              "faq": [
                {"question": "Qual o horário de atendimento?", "answer": "Atendemos de segunda a sexta, das 9h às 18h, e aos sábados das 9h às 13h."},
                {"question": "Que horas vocês abrem?", "answer": "Atendemos de segunda a sexta, das 9h às 18h, e aos sábados das 9h às 13h."},
                {"question": "Vocês abrem no sábado?", "answer": "Atendemos de segunda a sexta, das 9h às 18h, e aos sábados das 9h às 13h."},
                {"question": "Quanto custa o frete?", "answer": "O frete é grátis para compras acima de R$ 199. Abaixo disso, calculamos pelo CEP no carrinho."},
                {"question": "Qual o valor da entrega?", "answer": "O frete é grátis para compras acima de R$ 199. Abaixo disso, calculamos pelo CEP no carrinho."},
                {"question": "O frete é grátis?", "answer": "O frete é grátis para compras acima de R$ 199. Abaixo disso, calculamos pelo CEP no carrinho."},
                {"question": "Qual o prazo de entrega?", "answer": "Entregamos em 3 a 7 dias úteis nas capitais e em até 12 dias úteis nas demais cidades."},
                {"question": "Quando chega meu pedido?", "answer": "Entregamos em 3 a 7 dias úteis nas capitais e em até 12 dias úteis nas demais cidades."},
                {"question": "Quantos dias demora a entrega?", "answer": "Entregamos em 3 a 7 dias úteis nas capitais e em até 12 dias úteis nas demais cidades."},
                {"question": "Como faço para trocar ou devolver um produto?", "answer": "Você tem 30 dias para trocar ou devolver. Basta responder aqui com o número do pedido que enviamos a etiqueta de postagem."},
                {"question": "Quero devolver um produto", "answer": "Você tem 30 dias para trocar ou devolver. Basta responder aqui com o número do pedido que enviamos a etiqueta de postagem."},
                {"question": "Posso trocar o tamanho?", "answer": "Você tem 30 dias para trocar ou devolver. Basta responder aqui com o número do pedido que enviamos a etiqueta de postagem."},
                {"question": "Quais formas de pagamento vocês aceitam?", "answer": "Aceitamos Pix, boleto e cartão de crédito em até 10x sem juros."},
                {"question": "Aceitam Pix?", "answer": "Aceitamos Pix, boleto e cartão de crédito em até 10x sem juros."},
                {"question": "Posso parcelar no cartão?", "answer": "Aceitamos Pix, boleto e cartão de crédito em até 10x sem juros."},
                {"question": "What are your opening hours?", "answer": "We are open Monday to Friday 9am–6pm and Saturdays 9am–1pm (Brasília time)."},
                {"question": "How much is shipping?", "answer": "Shipping is free on orders over R$ 199; below that it is calculated from your postcode at checkout."}
              ]
            }""";
}
