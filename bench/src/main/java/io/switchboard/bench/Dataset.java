package io.switchboard.bench;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * A seeded multi-tenant dataset written straight into the app's database with COPY: organizations, each with
 * users, an integration API token, an AI agent, two channel accounts, contacts with Brazilian names (accents
 * included: "Conceição", "João", "Gonçalves"), one conversation per contact and messages in Portuguese about
 * orders and products. Conversations of all tenants are interleaved in time, as real traffic would write them;
 * each tenant's newest conversation is a long one (the conversation page's worst case). Deterministic for a
 * seed, except the ids.
 *
 * <p>It writes as PostgreSQL's superuser (zonky's embedded server trusts local connections), which row-level
 * security does not apply to, so it works whatever the policies look like; without a superuser it falls back
 * to the app's role in system scope with today's {@code switchboard.system} setting. Only the columns of the
 * V1 schema are written; a later migration's derived data (generated columns, triggers, indexes) is
 * maintained by PostgreSQL as the rows arrive. Derived data that the app maintains in Java would be missing.
 */
final class Dataset {

    private static final String[] FIRST_NAMES = {"Maria", "José", "João", "Ana", "Conceição", "Antônio", "Sebastião",
            "Luís", "Gonçalo", "Cecília", "Fátima", "Inês", "Lúcia", "Márcio", "André", "Patrícia", "Flávia", "Mônica",
            "Célia", "Cláudio", "Vinícius", "Thaís", "Letícia", "Júlia", "Rafaela", "Beatriz", "Lucas", "Gabriel",
            "Matheus", "Pedro", "Francisca", "Raimundo", "Benedita", "Aparecida", "Renata", "Simão", "Estêvão", "Irene",
            "Joaquim", "Iara"};
    private static final String[] SURNAMES = {"Silva", "Santos", "Oliveira", "Souza", "Conceição", "Pereira", "Costa",
            "Rodrigues", "Almeida", "Nascimento", "Lima", "Araújo", "Fernandes", "Carvalho", "Gomes", "Martins", "Rocha",
            "Ribeiro", "Alves", "Monteiro", "Mendes", "Barros", "Freitas", "Cardoso", "Teixeira", "Correia", "Gonçalves",
            "Brandão", "Falcão", "Assunção", "Magalhães", "Guimarães", "Simões", "Antunes"};
    private static final String[] PRODUCTS = {"geladeira", "fogão", "micro-ondas", "ventilador", "ar-condicionado",
            "liquidificador", "cafeteira", "televisão", "notebook", "celular", "tênis", "camiseta", "colchão", "sofá",
            "máquina de lavar", "aspirador", "fritadeira elétrica", "bicicleta", "cadeira gamer", "panela de pressão"};
    private static final String[] CITIES = {"São Paulo", "Belo Horizonte", "Florianópolis", "Goiânia", "Maceió",
            "São Luís", "Ribeirão Preto", "Niterói", "Vitória da Conquista", "Jundiaí", "Curitiba", "Belém"};
    private static final String[] SHOPS = {"Magazine", "Casa", "Empório", "Loja", "Armazém", "Ateliê", "Mercado", "Bazar"};
    private static final String[] CUSTOMER_LINES = {
            "Olá, gostaria de saber o prazo de entrega do %p para %c.",
            "Boa tarde! A %p que comprei chegou com defeito, como faço a troca?",
            "Vocês aceitam pix para o %p?",
            "Qual o valor do frete para %c?",
            "Meu pedido %n ainda não chegou, podem verificar por favor?",
            "O %p tem garantia de quantos meses?",
            "Preciso da nota fiscal do pedido %n.",
            "Tem o %p na cor preta? E na branca?",
            "Consigo parcelar o %p em 10x sem juros?",
            "Obrigada, resolveu! Vocês são ótimos.",
            "Bom dia, o entregador não encontrou meu endereço em %c.",
            "Quero cancelar o pedido %n, comprei o %p errado."};
    private static final String[] ANSWER_LINES = {
            "Olá, %f! O prazo de entrega para %c é de %d dias úteis.",
            "Claro, %f! Vou verificar o pedido %n e já retorno.",
            "Aceitamos pix, boleto e cartão em até 10x sem juros.",
            "A garantia do %p é de 12 meses pelo fabricante, mais 3 meses da loja.",
            "Enviamos a nota fiscal do pedido %n para o seu e-mail.",
            "Sinto muito pelo transtorno, %f. Já abrimos a troca do %p.",
            "Seu pedido %n saiu para entrega hoje e chega até as 18h.",
            "Temos o %p em estoque nas cores preta, branca e cinza.",
            "Cancelamento do pedido %n feito; o estorno cai em até 5 dias úteis."};

    /** A tenant the API timings use: its token and two conversations. */
    record Tenant(UUID organizationId, String token, UUID longConversationId, UUID typicalConversationId) {
    }

    record Summary(int organizations, long users, long contacts, long conversations, long messages, int longConversation,
                   long llmCalls, double seconds, long databaseBytes, String writer, List<Tenant> tenants) {
    }

    private final AppDatabase database;
    private final Random random;

    Dataset(AppDatabase database, long seed) {
        this.database = database;
        this.random = new Random(seed);
    }

    /**
     * Writes {@code organizations × conversationsPerOrganization} conversations (one contact each) and about
     * {@code messages} messages: each tenant's newest conversation has {@code longConversation} messages, the
     * others share the rest, 1 to 2×mean−1 each.
     */
    Summary generate(int organizations, int conversationsPerOrganization, long messages, int longConversation,
                     long llmCalls) throws Exception {
        long started = System.nanoTime();
        Connection connection;
        String writer;
        try {
            connection = database.connectAsSuperuser();
            writer = "PostgreSQL superuser (row-level security does not apply)";
        } catch (SQLException noSuperuser) {
            connection = database.connect();
            try (Statement s = connection.createStatement()) {
                s.execute("select set_config('switchboard.system', 'on', false)");
            }
            writer = "app role in system scope (switchboard.system=on)";
        }
        try (Connection c = connection) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("set synchronous_commit = off"); // a bulk load, not the app's commits
            }
            PGConnection pg = c.unwrap(PGConnection.class);
            Instant now = Instant.now();
            UUID[] orgs = new UUID[organizations];
            UUID[][] users = new UUID[organizations][5];
            UUID[] agents = new UUID[organizations];
            UUID[][] accounts = new UUID[organizations][2];
            String[] tokens = new String[organizations];

            Copy copy = new Copy(pg, "organizations (id, name, slug, locale, created_at)");
            for (int o = 0; o < organizations; o++) {
                orgs[o] = UUID.randomUUID();
                copy.row(orgs[o], pick(SHOPS) + " " + pick(SURNAMES) + " " + (o + 1), "bench-loja-" + (o + 1), "pt-BR",
                        now.minus(Duration.ofDays(400)));
            }
            copy.end();

            copy = new Copy(pg, "users (id, organization_id, email, name, password_hash, role, created_at)");
            for (int o = 0; o < organizations; o++) {
                for (int u = 0; u < 5; u++) {
                    users[o][u] = UUID.randomUUID();
                    copy.row(users[o][u], orgs[o], "atendente" + u + "@loja" + (o + 1) + ".bench.example",
                            pick(FIRST_NAMES) + " " + pick(SURNAMES),
                            "$2a$10$benchbenchbenchbenchbeuY7cM3ZxYQnqJ3kUuB8zC2lF3wz0m6a", u == 0 ? "ADMIN" : "AGENT",
                            now.minus(Duration.ofDays(400)));
                }
            }
            copy.end();

            copy = new Copy(pg, "api_tokens (id, organization_id, name, token_hash, token_prefix, role)");
            for (int o = 0; o < organizations; o++) {
                byte[] secret = new byte[24];
                random.nextBytes(secret);
                tokens[o] = "sb_bench" + (o + 1) + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
                copy.row(UUID.randomUUID(), orgs[o], "bench dataset", sha256(tokens[o]), tokens[o].substring(0, 8), "ADMIN");
            }
            copy.end();

            copy = new Copy(pg, "ai_agents (id, organization_id, name, prompt, model, settings)");
            for (int o = 0; o < organizations; o++) {
                agents[o] = UUID.randomUUID();
                copy.row(agents[o], orgs[o], "Atendimento", "Você atende os clientes da loja com educação.", "gpt-4o-mini",
                        "{\"context_timer_seconds\":0}");
            }
            copy.end();

            copy = new Copy(pg, "channel_accounts (id, organization_id, type, name, config, default_ai_agent_id, queue_tab)");
            for (int o = 0; o < organizations; o++) {
                accounts[o][0] = UUID.randomUUID();
                accounts[o][1] = UUID.randomUUID();
                copy.row(accounts[o][0], orgs[o], "twilio", "WhatsApp oficial",
                        "{\"account_sid\":\"ACdataset" + (o + 1) + "\",\"from\":\"whatsapp:+551140000" + String.format("%03d", o % 1000) + "\"}",
                        agents[o], "SUPPORT");
                copy.row(accounts[o][1], orgs[o], "evolution", "WhatsApp QR", "{\"instance\":\"loja" + (o + 1) + "\"}",
                        null, "WHATSAPP");
            }
            copy.end();

            // conversations: interleaved across tenants, oldest first; the last of each tenant is the long one
            int perOrg = conversationsPerOrganization;
            long regular = (long) organizations * (perOrg - 1);
            double mean = regular == 0 ? 0 : Math.max(1, (messages - (long) organizations * longConversation) / (double) regular);
            int maxPerConversation = Math.max(1, (int) Math.round(2 * mean - 1));
            int total = organizations * perOrg;
            UUID[] conversationIds = new UUID[total];
            UUID[] contactIds = new UUID[total];
            String[] contactNames = new String[total];
            int[] messageCounts = new int[total];
            Instant[] starts = new Instant[total];
            String[] statuses = new String[total];
            boolean[] aiHandled = new boolean[total];
            UUID[] assignees = new UUID[total];
            byte[] accountOf = new byte[total];
            long span = Duration.ofDays(365).toSeconds();
            for (int j = 0; j < perOrg; j++) {
                boolean isLong = j == perOrg - 1;
                for (int o = 0; o < organizations; o++) {
                    int k = j * organizations + o;
                    conversationIds[k] = UUID.randomUUID();
                    contactIds[k] = UUID.randomUUID();
                    contactNames[k] = pick(FIRST_NAMES) + " " + pick(SURNAMES) + (random.nextInt(3) == 0 ? " " + pick(SURNAMES) : "");
                    messageCounts[k] = isLong ? longConversation : 1 + random.nextInt(maxPerConversation);
                    accountOf[k] = (byte) (random.nextInt(10) < 6 ? 0 : 1);
                    double age = 1 - (j + random.nextDouble()) / perOrg; // 1 = a year ago, 0 = now
                    boolean recent = j >= perOrg * 3 / 4;
                    int roll = random.nextInt(100);
                    statuses[k] = isLong ? "open"
                            : recent ? (roll < 50 ? "open" : roll < 75 ? "waiting" : roll < 90 ? "pending" : "closed")
                            : (roll < 96 ? "closed" : "open");
                    aiHandled[k] = !statuses[k].equals("waiting") && random.nextInt(100) < 45;
                    assignees[k] = statuses[k].equals("waiting") || (aiHandled[k] && !statuses[k].equals("closed"))
                            ? null : users[o][1 + random.nextInt(4)];
                    long spacingSeconds = isLong ? 1800 : 600;
                    long needed = messageCounts[k] * spacingSeconds;
                    long startAgo = Math.max(needed + 60, (long) (age * span));
                    starts[k] = now.minusSeconds(startAgo);
                }
            }

            copy = new Copy(pg, "contacts (id, organization_id, name, phone, email, created_at, updated_at)");
            for (int k = 0; k < total; k++) {
                int o = k % organizations;
                String phone = "+55" + (11 + k % 89) + "9" + String.format("%08d", (k * 7919L) % 100_000_000L);
                // not derived from the name: "conceicao" must find "Conceição" by the name, not by an ASCII e-mail
                String email = random.nextInt(3) == 0 ? null : "cliente" + k + "@exemplo.com.br";
                copy.row(contactIds[k], orgs[o], contactNames[k], phone, email, starts[k], starts[k]);
            }
            copy.end();

            copy = new Copy(pg, "contact_identities (id, organization_id, contact_id, channel_account_id, identifier, display_name)");
            for (int k = 0; k < total; k++) {
                int o = k % organizations;
                copy.row(UUID.randomUUID(), orgs[o], contactIds[k], accounts[o][accountOf[k]],
                        "+55" + (11 + k % 89) + "9" + String.format("%08d", (k * 7919L) % 100_000_000L), contactNames[k]);
            }
            copy.end();

            // conversations need their last message's time and must exist before their messages (foreign key):
            // message times are drawn first, conversations written, then the messages
            Instant[] lastMessage = new Instant[total];
            Instant[] lastCustomer = new Instant[total];
            Instant[] firstResponse = new Instant[total];
            long messageRows = 0;
            // conversations must exist before their messages (foreign key): write them first, times computed ahead
            long[][] offsets = new long[total][];
            for (int k = 0; k < total; k++) {
                long spacing = messageCounts[k] > 100 ? 1800 : 600;
                long[] at = new long[messageCounts[k]];
                long t = 0;
                for (int m = 0; m < at.length; m++) {
                    t += 20 + random.nextLong(spacing);
                    at[m] = t;
                }
                offsets[k] = at;
                lastMessage[k] = starts[k].plusSeconds(at[at.length - 1]);
                lastCustomer[k] = starts[k].plusSeconds(at[(at.length - 1) & ~1]);
                firstResponse[k] = at.length > 1 ? starts[k].plusSeconds(at[1]) : null;
            }
            Copy conversations = new Copy(pg, "conversations (id, organization_id, contact_id, channel_account_id, channel_type, "
                    + "queue_tab, status, agent_id, ai_agent_id, priority, requires_human_attention, last_message_at, "
                    + "last_customer_message_at, first_response_at, closed_at, created_at, updated_at)");
            for (int k = 0; k < total; k++) {
                int o = k % organizations;
                boolean closed = statuses[k].equals("closed");
                conversations.row(conversationIds[k], orgs[o], contactIds[k], accounts[o][accountOf[k]],
                        accountOf[k] == 0 ? "twilio" : "evolution", accountOf[k] == 0 ? "SUPPORT" : "WHATSAPP", statuses[k],
                        assignees[k], aiHandled[k] ? agents[o] : null,
                        random.nextInt(20) == 0 ? "high" : "normal",
                        statuses[k].equals("waiting") && random.nextBoolean(),
                        lastMessage[k], lastCustomer[k], firstResponse[k], closed ? lastMessage[k] : null, starts[k], lastMessage[k]);
            }
            conversations.end();

            copy = new Copy(pg, "messages (id, organization_id, conversation_id, channel_account_id, direction, sender_type, "
                    + "sender_id, ai_agent_id, content, status, provider_message_id, created_at, updated_at)");
            for (int k = 0; k < total; k++) {
                int o = k % organizations;
                String firstName = contactNames[k].substring(0, contactNames[k].indexOf(' '));
                for (int m = 0; m < messageCounts[k]; m++) {
                    boolean inbound = m % 2 == 0;
                    boolean ai = !inbound && aiHandled[k];
                    Instant at = starts[k].plusSeconds(offsets[k][m]);
                    UUID sender = inbound || ai ? null : (assignees[k] != null ? assignees[k] : users[o][1]);
                    copy.row(UUID.randomUUID(), orgs[o], conversationIds[k], accounts[o][accountOf[k]],
                            inbound ? "inbound" : "outbound", inbound ? "contact" : ai ? "ai_agent" : "agent",
                            sender, ai ? agents[o] : null,
                            line(inbound ? CUSTOMER_LINES : ANSWER_LINES, firstName),
                            inbound ? "received" : (random.nextBoolean() ? "read" : "delivered"),
                            (accountOf[k] == 0 ? "SM" : "3EB0") + UUID.randomUUID().toString().replace("-", ""), at, at);
                    messageRows++;
                }
                if (k % 20_000 == 19_999) {
                    Benchmark.progress("dataset: %,d of %,d conversations' messages written", k + 1, total);
                }
            }
            copy.end();

            // the LLM ledger (what the reports read): calls spread over the AI-handled conversations, at their times;
            // one in twenty without a known price, one in fifty failed
            int[] aiConversations = java.util.stream.IntStream.range(0, total).filter(k -> aiHandled[k]).toArray();
            copy = new Copy(pg, "llm_calls (id, organization_id, conversation_id, ai_agent_id, model, prompt_tokens, "
                    + "completion_tokens, cached_tokens, latency_ms, cost_usd, outcome, created_at)");
            for (long i = 0; i < llmCalls && aiConversations.length > 0; i++) {
                int k = aiConversations[random.nextInt(aiConversations.length)];
                int o = k % organizations;
                boolean failed = random.nextInt(50) == 0;
                int prompt = failed ? 0 : 800 + random.nextInt(3000);
                int completion = failed ? 0 : 40 + random.nextInt(300);
                int cached = failed ? 0 : random.nextInt(prompt / 2 + 1);
                String cost = failed || random.nextInt(20) == 0 ? null
                        : String.format(java.util.Locale.ROOT, "%.6f", (prompt - cached) * 0.15e-6 + cached * 0.075e-6 + completion * 0.6e-6);
                Instant at = starts[k].plusSeconds(offsets[k][random.nextInt(offsets[k].length)]);
                copy.row(UUID.randomUUID(), orgs[o], conversationIds[k], agents[o], "gpt-4o-mini", prompt, completion, cached,
                        failed ? 30000 : 400 + random.nextInt(2500), cost, failed ? "failed" : "ok", at);
            }
            copy.end();
            c.commit();
            c.setAutoCommit(true);
            Benchmark.progress("dataset: committed, %.0f s; vacuum analyze", (System.nanoTime() - started) / 1e9);
            try (Statement s = c.createStatement()) {
                // what autovacuum would have done by the time a real tenant had this much history
                for (String table : List.of("organizations", "users", "api_tokens", "ai_agents", "channel_accounts",
                        "contacts", "contact_identities", "conversations", "messages", "llm_calls")) {
                    s.execute("vacuum analyze " + table);
                }
                // and the checkpoint that would long since have written it out: otherwise the first timed
                // queries share the disk with the checkpointer flushing a gigabyte loaded seconds ago
                s.execute("checkpoint");
            }
            long bytes;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select pg_database_size(current_database())")) {
                rs.next();
                bytes = rs.getLong(1);
            }
            List<Tenant> tenants = new ArrayList<>();
            for (int o = 0; o < organizations; o++) {
                int longK = (perOrg - 1) * organizations + o;
                // typical: a recent conversation with about the mean number of messages
                int typicalK = Math.min((perOrg * 7 / 8) * organizations + o, longK);
                while (typicalK + organizations < longK && messageCounts[typicalK] < Math.round(mean)) {
                    typicalK += organizations;
                }
                tenants.add(new Tenant(orgs[o], tokens[o], conversationIds[longK], conversationIds[typicalK]));
            }
            return new Summary(organizations, organizations * 5L, total, total, messageRows, longConversation,
                    aiConversations.length == 0 ? 0 : llmCalls, (System.nanoTime() - started) / 1e9, bytes, writer, tenants);
        }
    }

    private String line(String[] templates, String firstName) {
        String t = pick(templates);
        return t.replace("%p", pick(PRODUCTS)).replace("%c", pick(CITIES)).replace("%f", firstName)
                .replace("%n", "#" + (100000 + random.nextInt(900000))).replace("%d", Integer.toString(2 + random.nextInt(9)));
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    private static String sha256(String value) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    }

    /** One COPY … FROM STDIN in PostgreSQL's text format, sent in chunks of about a megabyte. */
    private static final class Copy {
        private final CopyIn in;
        private final StringBuilder buffer = new StringBuilder(1 << 20);

        Copy(PGConnection pg, String target) throws SQLException {
            this.in = pg.getCopyAPI().copyIn("copy " + target + " from stdin");
        }

        void row(Object... values) throws SQLException {
            for (int i = 0; i < values.length; i++) {
                if (i > 0) {
                    buffer.append('\t');
                }
                Object v = values[i];
                if (v == null) {
                    buffer.append("\\N");
                } else {
                    String s = v.toString();
                    for (int j = 0; j < s.length(); j++) {
                        char ch = s.charAt(j);
                        switch (ch) {
                            case '\\' -> buffer.append("\\\\");
                            case '\t' -> buffer.append("\\t");
                            case '\n' -> buffer.append("\\n");
                            case '\r' -> buffer.append("\\r");
                            default -> buffer.append(ch);
                        }
                    }
                }
            }
            buffer.append('\n');
            if (buffer.length() > (1 << 20)) {
                flush();
            }
        }

        private void flush() throws SQLException {
            byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
            in.writeToCopy(bytes, 0, bytes.length);
            buffer.setLength(0);
        }

        void end() throws SQLException {
            flush();
            in.endCopy();
        }
    }
}
