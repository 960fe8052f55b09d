package io.switchboard.ai.tools;

import io.switchboard.conversation.AutomaticSpeech;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Message;
import io.switchboard.conversation.SenderType;
import io.switchboard.knowledge.KnowledgeBases;
import io.switchboard.knowledge.KnowledgeSearch;
import io.switchboard.media.MediaFile;
import io.switchboard.media.MediaFiles;
import io.switchboard.media.MediaRefused;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code enviar_documento}: sends the customer a document of the agent's knowledge bases as a file — the catalogue,
 * the warranty terms — the original a person uploaded. It is an automatic message like the AI's answers: withheld
 * when a person has the conversation or the AI is paused, discarded if a person takes over before it goes out. A
 * turn run again (a node stopped mid-turn) does not send the same document twice for the same customer message.
 */
@Component
class SendDocumentTool implements ToolHandler {

    static final String DOCUMENT_KEY = "knowledge_document_id";

    private final KnowledgeBases bases;
    private final KnowledgeSearch knowledge;
    private final MediaFiles files;
    private final Conversations conversations;
    private final TransactionTemplate transaction;
    private final JdbcClient jdbc;
    private final JsonMapper json;

    SendDocumentTool(KnowledgeBases bases, KnowledgeSearch knowledge, MediaFiles files, Conversations conversations,
                     TransactionTemplate transaction, JdbcClient jdbc, JsonMapper json) {
        this.bases = bases;
        this.knowledge = knowledge;
        this.files = files;
        this.conversations = conversations;
        this.transaction = transaction;
        this.jdbc = jdbc;
        this.json = json;
    }

    @Override
    public String slug() {
        return "enviar_documento";
    }

    @Override
    public String description() {
        return "Envia ao cliente, como arquivo, um documento da base de conhecimento (pelo documento_id devolvido por "
                + "buscar_documento) quando ele pede o documento em si: catálogo, tabela de preços, termos de garantia, manual.";
    }

    @Override
    public String parametersSchema() {
        return """
                {"type": "object",
                 "properties": {
                   "documento_id": {"type": "string", "minLength": 36, "maxLength": 36, "description": "Id do documento"}
                 },
                 "required": ["documento_id"],
                 "additionalProperties": false}""";
    }

    @Override
    public ToolResult execute(ToolContext context, JsonNode arguments) {
        UUID documentId;
        try {
            documentId = UUID.fromString(arguments.get("documento_id").asString());
        } catch (IllegalArgumentException e) {
            return ToolResult.failed("documento_id inválido: use o documento_id devolvido por buscar_documento");
        }
        if (!knowledge.servesAgent(documentId, context.aiAgentId())) {
            return ToolResult.failed("este documento não pertence às bases de conhecimento deste agente");
        }
        Optional<KnowledgeBases.Original> original = bases.original(documentId);
        if (original.isEmpty()) {
            return ToolResult.failed("este documento não pode ser enviado como arquivo (é uma página importada, uma pergunta "
                    + "e resposta, ou ainda está sendo indexado): responda com as informações dele");
        }
        if (alreadySentForTheLatestCustomerMessage(context.conversationId(), documentId)) {
            return ToolResult.ok(result(original.get().filename(), "o cliente já recebeu este arquivo; não envie de novo"));
        }
        try {
            Optional<Message> sent = transaction.execute(tx -> {
                KnowledgeBases.Original file = original.get();
                MediaFile stored = files.upload(context.organizationId(), context.conversationId(), file.filename(),
                        files.typeOf(file.filename(), file.contentType(), file.bytes()), file.bytes());
                ObjectNode metadata = json.createObjectNode();
                metadata.put(DOCUMENT_KEY, documentId.toString());
                String media = json.writeValueAsString(List.of(Map.of("media_id", stored.id().toString(),
                        "content_type", stored.contentType(), "filename", stored.filename())));
                // no caption: some channels (Instagram, Messenger) take a file or a text, not both; the answer follows
                Optional<Message> message = conversations.postAutomatic(context.conversationId(), AutomaticSpeech.REPLY,
                        SenderType.AI_AGENT, context.aiAgentId(), null, stored.kind(), media, metadata.toString());
                message.ifPresentOrElse(m -> files.attach(stored.id(), m.id()), tx::setRollbackOnly);
                return message;
            });
            if (sent == null || sent.isEmpty()) {
                return ToolResult.failed("o arquivo não foi enviado: um atendente está com a conversa ou a IA está pausada");
            }
        } catch (MediaRefused e) {
            return ToolResult.failed("o arquivo não pode ser enviado por este canal: " + e.getMessage());
        }
        return ToolResult.ok(result(original.get().filename(), "o cliente recebeu o arquivo; não copie o conteúdo dele na resposta"));
    }

    private String result(String filename, String note) {
        ObjectNode result = json.createObjectNode();
        result.put("arquivo", filename);
        result.put("observacao", note);
        return result.toString();
    }

    /** Whether this document went to the customer after their latest message (a turn run again must not resend it). */
    private boolean alreadySentForTheLatestCustomerMessage(UUID conversationId, UUID documentId) {
        return jdbc.sql("""
                        select exists (select 1 from messages m where m.conversation_id = ? and m.metadata ->> ? = ?
                                         and m.created_at >= coalesce((select max(i.created_at) from messages i
                                                                       where i.conversation_id = ? and i.direction = 'inbound'),
                                                                      '-infinity'::timestamptz))""")
                .params(conversationId, DOCUMENT_KEY, documentId.toString(), conversationId).query(Boolean.class).single();
    }
}
