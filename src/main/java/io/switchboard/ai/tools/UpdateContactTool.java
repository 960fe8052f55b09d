package io.switchboard.ai.tools;

import io.switchboard.contact.Contact;
import io.switchboard.contact.Contacts;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** {@code atualizar_contato}: records what the customer told about themselves (name, e-mail, phone). */
@Component
class UpdateContactTool implements ToolHandler {

    /** Pragmatic, not RFC 5322: one @, no spaces, a dot in the domain — what a typo check needs. */
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s.]{2,}$");
    private static final Pattern PHONE_CHARACTERS = Pattern.compile("^\\+?[0-9 ().\\-]+$");

    private final Contacts contacts;
    private final JsonMapper json;

    UpdateContactTool(Contacts contacts, JsonMapper json) {
        this.contacts = contacts;
        this.json = json;
    }

    @Override
    public String slug() {
        return "atualizar_contato";
    }

    @Override
    public String description() {
        return "Atualiza os dados do cliente (nome, e-mail, telefone) quando ele os informar na conversa. "
                + "Envie só os campos que mudaram; pelo menos um.";
    }

    @Override
    public String parametersSchema() {
        return """
                {"type": "object",
                 "properties": {
                   "nome": {"type": "string", "minLength": 1, "maxLength": 200, "description": "Nome do cliente"},
                   "email": {"type": "string", "minLength": 3, "maxLength": 254, "description": "E-mail do cliente"},
                   "telefone": {"type": "string", "minLength": 8, "maxLength": 30,
                                "description": "Telefone com DDD, de preferência com código do país (ex.: +55 11 91234-5678)"}
                 },
                 "additionalProperties": false}""";
    }

    @Override
    public ToolResult execute(ToolContext context, JsonNode arguments) {
        String name = text(arguments, "nome");
        String email = text(arguments, "email");
        String phone = text(arguments, "telefone");
        if (name == null && email == null && phone == null) {
            return ToolResult.failed("informe pelo menos um campo: nome, email ou telefone");
        }
        List<String> problems = new ArrayList<>();
        if (email != null && !EMAIL.matcher(email).matches()) {
            problems.add("o e-mail '" + email + "' não é válido; confirme com o cliente");
        }
        if (phone != null) {
            long digits = phone.chars().filter(Character::isDigit).count();
            if (!PHONE_CHARACTERS.matcher(phone).matches() || digits < 8 || digits > 15) {
                problems.add("o telefone '" + phone + "' não é válido; use de 8 a 15 dígitos, com DDD");
            }
        }
        if (!problems.isEmpty()) {
            return ToolResult.failed(String.join("; ", problems));
        }
        Contact updated = contacts.update(context.contactId(), name, email == null ? null : email.toLowerCase(), phone)
                .orElse(null);
        if (updated == null) {
            return ToolResult.failed("contato não encontrado");
        }
        ObjectNode content = json.createObjectNode();
        content.put("atualizado", true);
        ObjectNode contact = content.putObject("contato");
        contact.put("nome", updated.name());
        contact.put("email", updated.email());
        contact.put("telefone", updated.phone());
        return ToolResult.ok(content.toString());
    }

    private static String text(JsonNode arguments, String field) {
        JsonNode value = arguments.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        String trimmed = value.asString().trim();
        return trimmed.isEmpty() ? null : trimmed;
    }
}
