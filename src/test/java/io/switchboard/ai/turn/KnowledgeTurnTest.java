package io.switchboard.ai.turn;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.switchboard.support.AiFixtures.COMPLETIONS;
import static io.switchboard.support.AiFixtures.answer;
import static io.switchboard.support.AiFixtures.completionRequests;
import static io.switchboard.support.AiFixtures.toolCalls;
import static io.switchboard.support.AiFixtures.twilioBodies;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.switchboard.database.ClusterSignal;
import io.switchboard.knowledge.DocumentProgress;
import io.switchboard.knowledge.KnowledgeDocument;
import io.switchboard.support.AiFixtures;
import io.switchboard.support.ApiClient;
import io.switchboard.support.Channels;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.ProviderFakes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;

/** The AI answers from the company's documents, cites them, searches them with a tool, and hands over when they are silent. */
@IntegrationTest
@Import(KnowledgeTurnTest.ProgressRecorder.class)
class KnowledgeTurnTest {

    /** Every indexing progress signal this JVM received, in order. */
    @TestConfiguration
    static class ProgressRecorder {
        static final List<DocumentProgress> SEEN = new CopyOnWriteArrayList<>();

        @Bean
        Object knowledgeProgressRecorder() {
            return new Object() {
                @EventListener
                void on(ClusterSignal signal) {
                    DocumentProgress.from(signal).ifPresent(SEEN::add);
                }
            };
        }
    }

    @Autowired
    AiFixtures fixtures;

    @Autowired
    Channels channels;

    @Autowired
    ApiClient api;

    WireMockServer fake;

    static final Map<String, Object> QUICK = Map.of("context_timer_seconds", 0, "response_delay_min", 0, "response_delay_max", 0);

    @BeforeEach
    void fakes() {
        fake = ProviderFakes.fresh();
        AiFixtures.twilioAccepts(fake);
    }

    @Test
    void aCustomerQuestionIsAnsweredFromAnUploadedPdfAndDocxWithTheCitedPassageInTheModelsRequest() throws IOException {
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).willReturn(answer("Você tem 7 dias para devolver [1].", 300, 0, 12)));
        var setup = fixtures.create("Knowledge Turn", QUICK, List.of(), true);
        String token = setup.tenant().adminToken();
        String baseId = api.post("/api/v1/knowledge_bases", token, Map.of("name", "Políticas")).json().get("id").asString();
        assertThat(api.post("/api/v1/knowledge_bases/" + baseId + "/agents", token, Map.of("ai_agent_id", setup.agentId())).status())
                .isEqualTo(200);

        var pdf = upload(baseId, token, "entregas.pdf", "application/pdf", pdf(
                "Entregas: o pedido chega em 3 a 6 dias uteis no Sul e Sudeste.",
                "Frete gratis em compras acima de 299 reais."));
        var docx = upload(baseId, token, "trocas.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                docx("Trocas e devoluções", "Prazo para devolver",
                        "Você pode devolver qualquer produto em até 7 dias corridos após o recebimento, sem explicar o motivo."));
        String pdfId = pdf.get("id").asString();
        String docxId = docx.get("id").asString();
        await().atMost(Duration.ofSeconds(90)).until(() -> status(baseId, token, pdfId).equals("ready")
                && status(baseId, token, docxId).equals("ready"));

        for (String documentId : List.of(pdfId, docxId)) {
            List<DocumentProgress> progress = ProgressRecorder.SEEN.stream()
                    .filter(p -> p.documentId().toString().equals(documentId)).toList();
            assertThat(progress).extracting(DocumentProgress::status).contains(KnowledgeDocument.Status.INDEXING)
                    .last().isEqualTo(KnowledgeDocument.Status.READY);
            assertThat(progress.get(progress.size() - 1).done()).isEqualTo(progress.get(progress.size() - 1).total()).isPositive();
        }
        var docxView = api.get("/api/v1/knowledge_bases/" + baseId + "/documents/" + docxId, token).json();
        // the one top-level heading over the whole document is its title; the sections below it are cited by path
        assertThat(docxView.get("title").asString()).isEqualTo("Trocas e devoluções");
        assertThat(docxView.get("chunks_done").asInt()).isEqualTo(docxView.get("chunks_total").asInt());

        channels.twilioMessage(setup.accountId(), AiTurnTest.sid(), "+5511950000001", "Qual o prazo para devolver um produto?");
        await().atMost(Duration.ofSeconds(30)).until(() -> twilioBodies(fake, setup).size() == 1);
        assertThat(twilioBodies(fake, setup)).containsExactly("Você tem 7 dias para devolver [1].");
        String request = completionRequests(fake, setup).get(0).getBodyAsString();
        assertThat(request).contains("devolver qualquer produto em até 7 dias corridos")
                .contains("[1] Trocas e devoluções › Prazo para devolver");
    }

    @Test
    void theModelSearchesTheKnowledgeBaseWithBuscarDocumentoAndReadsTheResult() throws IOException {
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).inScenario("search").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(toolCalls(List.<String[]>of(new String[] {"call_1", "buscar_documento", "{\"consulta\":\"frete gratis\"}"}),
                        200, 0, 10))
                .willSetStateTo("answered"));
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).inScenario("search").whenScenarioStateIs("answered")
                .willReturn(answer("O frete é grátis acima de R$ 299 [Entregas].", 300, 0, 12)));
        var setup = fixtures.create("Knowledge Tool", QUICK, List.of("buscar_documento"), true);
        String token = setup.tenant().adminToken();
        String baseId = api.post("/api/v1/knowledge_bases", token, Map.of("name", "Entregas")).json().get("id").asString();
        api.post("/api/v1/knowledge_bases/" + baseId + "/agents", token, Map.of("ai_agent_id", setup.agentId()));
        String documentId = upload(baseId, token, "entregas.md", "text/markdown",
                "# Entregas\n\n## Frete grátis\n\nO frete é grátis para compras acima de R$ 299 no Sul e Sudeste.\n"
                        .getBytes(StandardCharsets.UTF_8)).get("id").asString();
        await().atMost(Duration.ofSeconds(60)).until(() -> status(baseId, token, documentId).equals("ready"));

        channels.twilioMessage(setup.accountId(), AiTurnTest.sid(), "+5511950000002", "Oi, vocês têm alguma promoção de entrega?");
        await().atMost(Duration.ofSeconds(30)).until(() -> twilioBodies(fake, setup).size() == 1);
        List<String> requests = completionRequests(fake, setup).stream().map(r -> r.getBodyAsString()).toList();
        assertThat(requests).hasSize(2);
        // the tool's result, with the passage and its source, went back to the model
        assertThat(requests.get(1)).contains("buscar_documento").contains("compras acima de R$ 299").contains("Entregas › Frete grátis")
                .contains(documentId);
    }

    @Test
    void anAgentConfiguredToHandOverDoesSoWithMissingKnowledgeWhenItsBaseHasNothingRelevant() {
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).willReturn(answer("Paris.", 100, 0, 3)));
        var setup = fixtures.create("Knowledge Missing", QUICK, List.of(), true);
        String token = setup.tenant().adminToken();
        String baseId = api.post("/api/v1/knowledge_bases", token, Map.of("name", "Trocas")).json().get("id").asString();
        api.post("/api/v1/knowledge_bases/" + baseId + "/agents", token,
                Map.of("ai_agent_id", setup.agentId(), "handoff_when_missing", true));
        String qa = api.post("/api/v1/knowledge_bases/" + baseId + "/qa_pairs", token,
                Map.of("question", "Qual o prazo para trocar um produto?", "answer", "30 dias após o recebimento.")).json().get("id").asString();
        await().atMost(Duration.ofSeconds(60)).until(() -> status(baseId, token, qa).equals("ready"));

        channels.twilioMessage(setup.accountId(), AiTurnTest.sid(), "+5511950000003", "Qual a capital da França?");
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            var items = api.get("/api/v1/conversations", setup.tenant().agentToken()).json().get("items");
            return items.size() == 1 && items.get(0).path("ai_disabled").asBoolean(false);
        });
        String conversationId = api.get("/api/v1/conversations", setup.tenant().agentToken()).json().get("items").get(0).get("id").asString();
        var conversation = api.get("/api/v1/conversations/" + conversationId, setup.tenant().agentToken()).json();
        assertThat(conversation.get("ai_disabled_reason").asString()).contains("missing_knowledge");
        assertThat(completionRequests(fake, setup)).isEmpty();
    }

    @Test
    void aCustomerAskingForTheCatalogueGetsTheUploadedPdfOnceEvenWhenTheModelAsksTwice() throws Exception {
        var setup = fixtures.create("Knowledge Send", QUICK, List.of("enviar_documento"), true);
        String token = setup.tenant().adminToken();
        String baseId = api.post("/api/v1/knowledge_bases", token, Map.of("name", "Catálogo")).json().get("id").asString();
        api.post("/api/v1/knowledge_bases/" + baseId + "/agents", token, Map.of("ai_agent_id", setup.agentId()));
        byte[] catalogue = pdf("Catalogo 2026: chaleira eletrica 1,7 L, R$ 189.", "Batedeira planetaria 600 W, R$ 459.");
        String documentId = upload(baseId, token, "catalogo-2026.pdf", "application/pdf", catalogue).get("id").asString();
        await().atMost(Duration.ofSeconds(60)).until(() -> status(baseId, token, documentId).equals("ready"));
        assertThat(api.get("/api/v1/knowledge_bases/" + baseId + "/documents/" + documentId, token).json().get("sendable").asBoolean())
                .isTrue();

        String send = "{\"documento_id\":\"" + documentId + "\"}";
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).inScenario("send").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(toolCalls(List.<String[]>of(new String[] {"call_1", "enviar_documento", send}), 200, 0, 10))
                .willSetStateTo("sent once"));
        // the model asks again (as a turn run again after a crash would): the customer must not get the file twice
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).inScenario("send").whenScenarioStateIs("sent once")
                .willReturn(toolCalls(List.<String[]>of(new String[] {"call_2", "enviar_documento", send}), 220, 0, 10))
                .willSetStateTo("answered"));
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).inScenario("send").whenScenarioStateIs("answered")
                .willReturn(answer("Enviei o nosso catálogo em PDF.", 300, 0, 12)));

        channels.twilioMessage(setup.accountId(), AiTurnTest.sid(), "+5511950000003", "Pode me mandar o catálogo em PDF?");
        await().atMost(Duration.ofSeconds(30)).until(() -> AiFixtures.twilioRequests(fake, setup).size() >= 2);
        Thread.sleep(500); // nothing more may follow
        var sent = AiFixtures.twilioRequests(fake, setup);
        assertThat(sent).hasSize(2);
        var withFile = sent.stream().filter(r -> AiFixtures.formField(r, "MediaUrl") != null).toList();
        assertThat(withFile).hasSize(1);
        assertThat(sent.stream().map(r -> AiFixtures.formField(r, "Body")).toList()).contains("Enviei o nosso catálogo em PDF.");
        String mediaUrl = AiFixtures.formField(withFile.get(0), "MediaUrl");
        assertThat(mediaUrl).contains("catalogo-2026.pdf");
        var fetched = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(api.baseUrl() + mediaUrl.substring(mediaUrl.indexOf("/webhooks/media/")))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(fetched.body()).as("the file the person uploaded, byte for byte").isEqualTo(catalogue);
        List<String> requests = completionRequests(fake, setup).stream().map(r -> r.getBodyAsString()).toList();
        assertThat(requests).hasSize(3);
        assertThat(requests.get(1)).contains("o cliente recebeu o arquivo");
        assertThat(requests.get(2)).contains("já recebeu este arquivo");
    }

    @Test
    void aDocumentOfABaseTheAgentDoesNotServeIsNotSent() throws Exception {
        var setup = fixtures.create("Knowledge Send Refused", QUICK, List.of("enviar_documento"), true);
        String token = setup.tenant().adminToken();
        String served = api.post("/api/v1/knowledge_bases", token, Map.of("name", "Público")).json().get("id").asString();
        api.post("/api/v1/knowledge_bases/" + served + "/agents", token, Map.of("ai_agent_id", setup.agentId()));
        String internal = api.post("/api/v1/knowledge_bases", token, Map.of("name", "Interno")).json().get("id").asString();
        String secret = upload(internal, token, "margens.pdf", "application/pdf", pdf("Margens internas: 42 por cento.")).get("id").asString();
        await().atMost(Duration.ofSeconds(60)).until(() -> status(internal, token, secret).equals("ready"));
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).inScenario("refused").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(toolCalls(List.<String[]>of(new String[] {"call_1", "enviar_documento",
                        "{\"documento_id\":\"" + secret + "\"}"}), 200, 0, 10))
                .willSetStateTo("answered"));
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).inScenario("refused").whenScenarioStateIs("answered")
                .willReturn(answer("Não posso enviar esse arquivo.", 300, 0, 12)));

        channels.twilioMessage(setup.accountId(), AiTurnTest.sid(), "+5511950000004", "Me manda a planilha de margens?");
        await().atMost(Duration.ofSeconds(30)).until(() -> twilioBodies(fake, setup).size() == 1);
        assertThat(AiFixtures.twilioRequests(fake, setup)).allSatisfy(r -> assertThat(AiFixtures.formField(r, "MediaUrl")).isNull());
        assertThat(completionRequests(fake, setup).get(1).getBodyAsString()).contains("não pertence às bases de conhecimento");
    }

    @Test
    void afterAPersonTakesOverOrForAnotherOrganizationsDocumentTheToolSendsNothing() throws Exception {
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).willReturn(answer("Olá! Como posso ajudar?", 100, 0, 8)));
        var setup = fixtures.create("Knowledge Send Takeover", QUICK, List.of("enviar_documento"), true);
        String token = setup.tenant().adminToken();
        String baseId = api.post("/api/v1/knowledge_bases", token, Map.of("name", "Catálogo")).json().get("id").asString();
        api.post("/api/v1/knowledge_bases/" + baseId + "/agents", token, Map.of("ai_agent_id", setup.agentId()));
        String documentId = upload(baseId, token, "catalogo.pdf", "application/pdf", pdf("Catalogo de inverno.")).get("id").asString();
        var stranger = fixtures.create("Knowledge Send Stranger", QUICK, List.of("enviar_documento"), true);
        String strangerBase = api.post("/api/v1/knowledge_bases", stranger.tenant().adminToken(), Map.of("name", "Alheia"))
                .json().get("id").asString();
        api.post("/api/v1/knowledge_bases/" + strangerBase + "/agents", stranger.tenant().adminToken(), Map.of("ai_agent_id", stranger.agentId()));
        String strangerDoc = upload(strangerBase, stranger.tenant().adminToken(), "tabela.pdf", "application/pdf",
                pdf("Tabela interna.")).get("id").asString();
        await().atMost(Duration.ofSeconds(60)).until(() -> status(baseId, token, documentId).equals("ready")
                && status(strangerBase, stranger.tenant().adminToken(), strangerDoc).equals("ready"));
        channels.twilioMessage(setup.accountId(), AiTurnTest.sid(), "+5511950000005", "Oi");
        await().atMost(Duration.ofSeconds(30)).until(() -> twilioBodies(fake, setup).size() == 1);
        UUID conversationId = UUID.fromString(api.get("/api/v1/conversations", setup.tenant().agentToken()).json()
                .get("items").get(0).get("id").asString());

        var foreign = sendDocument(setup, conversationId, strangerDoc);
        assertThat(foreign.success()).isFalse();
        assertThat(foreign.content()).contains("não pertence");

        assertThat(api.post("/api/v1/conversations/" + conversationId + "/assign", token,
                Map.of("user_id", setup.tenant().agent().id().toString())).status()).isEqualTo(200);
        var afterTakeover = sendDocument(setup, conversationId, documentId);
        assertThat(afterTakeover.success()).isFalse();
        assertThat(afterTakeover.content()).contains("não foi enviado");
        Thread.sleep(1000);
        assertThat(AiFixtures.twilioRequests(fake, setup)).hasSize(1);
    }

    @Autowired
    io.switchboard.ai.tools.ToolRegistry toolRegistry;

    /** The tool as a turn runs it: in the conversation's tenant scope, outside any transaction. */
    private io.switchboard.ai.tools.ToolResult sendDocument(AiFixtures.AiSetup setup, UUID conversationId, String documentId) {
        return io.switchboard.database.TenantScope.call(setup.tenant().id(), () -> toolRegistry.invoke(toolRegistry.find("enviar_documento").orElseThrow(),
                new io.switchboard.ai.tools.ToolContext(setup.tenant().id(), conversationId, null, setup.agentId(),
                        tools.jackson.databind.node.JsonNodeFactory.instance.objectNode()),
                "{\"documento_id\":\"" + documentId + "\"}"));
    }

    private tools.jackson.databind.JsonNode upload(String baseId, String token, String filename, String contentType, byte[] bytes) {
        String boundary = "----switchboard" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\nContent-Type: " + contentType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(bytes);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        var response = api.postRaw("/api/v1/knowledge_bases/" + baseId + "/documents", "multipart/form-data; boundary=" + boundary,
                body.toByteArray(), Map.of("Authorization", "Bearer " + token));
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        return response.json();
    }

    private String status(String baseId, String token, String documentId) {
        var document = api.get("/api/v1/knowledge_bases/" + baseId + "/documents/" + documentId, token).json();
        assertThat(document.get("status").asString()).as(document.path("error").asString("")).isNotEqualTo("failed");
        return document.get("status").asString();
    }

    static byte[] pdf(String... lines) throws IOException {
        try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDPage page = new PDPage();
            document.addPage(page);
            try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                content.beginText();
                content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                content.newLineAtOffset(50, 700);
                for (String line : lines) {
                    content.showText(line);
                    content.newLineAtOffset(0, -20);
                }
                content.endText();
            }
            document.save(out);
            return out.toByteArray();
        }
    }

    static byte[] docx(String heading1, String heading2, String text) throws IOException {
        try (XWPFDocument document = new XWPFDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            var h1 = document.createParagraph();
            h1.setStyle("Heading1");
            h1.createRun().setText(heading1);
            var h2 = document.createParagraph();
            h2.setStyle("Heading2");
            h2.createRun().setText(heading2);
            document.createParagraph().createRun().setText(text);
            document.write(out);
            return out.toByteArray();
        }
    }
}
