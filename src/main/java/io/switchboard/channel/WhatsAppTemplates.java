package io.switchboard.channel;

import io.switchboard.channel.provider.TemplateMessage;
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Message;
import io.switchboard.conversation.SenderType;
import io.switchboard.refusal.InvalidInput;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Approved WhatsApp templates: listed live from Meta ({@code GET /{waba_id}/message_templates?status=APPROVED}) or
 * Twilio's Content API ({@code GET /v1/ContentAndApprovals}, approved ones), and sent, with their variables, as a
 * message of the conversation — the only thing WhatsApp delivers once the customer's last message is older than
 * 24 hours.
 */
@Service
public class WhatsAppTemplates {

    /** WhatsApp's customer service window. */
    public static final Duration WINDOW = Duration.ofHours(24);
    private static final Pattern VARIABLE = Pattern.compile("\\{\\{\\s*(\\d+)\\s*}}");

    /** One approved template: {@code contentSid} is Twilio's (HX…), {@code null} on Meta. */
    public record Template(String name, String language, String category, String body, String contentSid, int variables) {

        /** The body as the customer will read it. */
        public String render(List<String> values) {
            Matcher m = VARIABLE.matcher(body == null ? "" : body);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                int n = Integer.parseInt(m.group(1));
                m.appendReplacement(out, Matcher.quoteReplacement(n >= 1 && n <= values.size() ? values.get(n - 1) : m.group()));
            }
            return m.appendTail(out).toString();
        }
    }

    private final ChannelAccounts accounts;
    private final Conversations conversations;
    private final ChannelProperties properties;
    private final MessagingApiProperties apis;
    private final JsonMapper json;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    WhatsAppTemplates(ChannelAccounts accounts, Conversations conversations, ChannelProperties properties,
                      MessagingApiProperties apis, JsonMapper json, Clock clock) {
        this.accounts = accounts;
        this.conversations = conversations;
        this.properties = properties;
        this.apis = apis;
        this.json = json;
        this.clock = clock;
    }

    /** Whether only a template can reach this conversation's customer now (official WhatsApp channels only). */
    public boolean windowClosed(Conversation conversation) {
        if (!windowApplies(conversation)) {
            return false;
        }
        return conversation.lastCustomerMessageAt() == null
                || conversation.lastCustomerMessageAt().plus(WINDOW).isBefore(clock.instant());
    }

    /** Whether the conversation is on an official WhatsApp channel, where the 24-hour window rules. */
    public boolean windowApplies(Conversation conversation) {
        return Set.of("twilio", "meta_cloud").contains(conversation.channelType());
    }

    /** Whether the account offers templates at all (Twilio, or Meta with its WhatsApp Business Account id). */
    public boolean offered(ChannelAccount account) {
        return account.type() == ChannelType.TWILIO
                || (account.type() == ChannelType.META_CLOUD && account.configValue("waba_id") != null && !account.configValue("waba_id").isBlank());
    }

    /**
     * The account's approved templates.
     *
     * @throws InvalidInput when the account has no templates or the provider refuses (with its reason)
     */
    public List<Template> list(UUID accountId) {
        ChannelAccount account = accounts.find(accountId);
        Map<String, String> secrets = accounts.secrets(account);
        return switch (account.type()) {
            case META_CLOUD -> meta(account, secrets);
            case TWILIO -> twilio(account, secrets);
            default -> throw new InvalidInput("a " + account.type().code() + " account has no WhatsApp templates");
        };
    }

    /**
     * Sends an approved template to the conversation's customer as a message of the conversation (delivered by the
     * durable outbound job like any other).
     *
     * @throws InvalidInput when the template is unknown, not approved, or the variables do not match
     */
    public Message send(UUID conversationId, String name, String language, List<String> variables, SenderType sender, UUID senderId) {
        Prepared prepared = prepare(conversations.find(conversationId), name, language, variables);
        return conversations.postOutbound(conversationId, sender, senderId, null, prepared.text(),
                json.writeValueAsString(prepared.metadata()), null, false);
    }

    /** A template message ready to post: its rendered text and the metadata that makes delivery send it as the template. */
    public record Prepared(String text, tools.jackson.databind.node.ObjectNode metadata) {
    }

    /**
     * Checks an approved template with its variables for the conversation's channel, for a caller that posts it itself
     * (automatic speech goes through {@code Conversations.postAutomatic}, which may withhold it).
     *
     * @throws InvalidInput when the template is unknown, not approved, or the variables do not match
     */
    public Prepared prepare(Conversation conversation, String name, String language, List<String> variables) {
        List<String> values = variables == null ? List.of() : variables.stream().map(v -> v == null ? "" : v.strip()).toList();
        Template template = list(conversation.channelAccountId()).stream()
                .filter(t -> t.name().equals(name) && (language == null || language.isBlank() || t.language().equals(language)))
                .findFirst().orElseThrow(() -> new InvalidInput("template '" + name + "'" + (language == null ? "" : " (" + language + ")")
                        + " is not an approved template of this channel"));
        if (values.size() != template.variables() || values.stream().anyMatch(String::isEmpty)) {
            throw new InvalidInput("variables: template '" + name + "' needs " + template.variables() + " non-empty value"
                    + (template.variables() == 1 ? "" : "s") + ", got " + values.stream().filter(v -> !v.isEmpty()).count());
        }
        var metadata = json.createObjectNode();
        var node = metadata.putObject("template").put("name", template.name()).put("language", template.language());
        if (template.contentSid() != null) {
            node.put("content_sid", template.contentSid());
        }
        var list = node.putArray("variables");
        values.forEach(list::add);
        return new Prepared(template.render(values), metadata);
    }

    /** The template a stored message must be sent as, {@code null} for a free-form message. */
    static TemplateMessage of(Message message, JsonMapper json) {
        if (message.metadata() == null || !message.metadata().contains("\"template\"")) {
            return null;
        }
        try {
            JsonNode template = json.readTree(message.metadata()).path("template");
            if (!template.isObject()) {
                return null;
            }
            List<String> variables = new ArrayList<>();
            template.path("variables").forEach(v -> variables.add(v.asString()));
            return new TemplateMessage(template.path("name").asString(), template.path("language").asString(),
                    template.path("content_sid").isString() ? template.path("content_sid").asString() : null, variables);
        } catch (JacksonException e) {
            return null;
        }
    }

    private List<Template> meta(ChannelAccount account, Map<String, String> secrets) {
        String waba = account.configValue("waba_id");
        if (waba == null || waba.isBlank()) {
            throw new InvalidInput("config of a meta_cloud account lacks waba_id: set the WhatsApp Business Account ID to list templates");
        }
        URI uri = URI.create(properties.metaApiBaseUrl().replaceAll("/+$", "") + "/" + properties.metaApiVersion() + "/"
                + URLEncoder.encode(waba.strip(), StandardCharsets.UTF_8) + "/message_templates?status=APPROVED&limit=100");
        JsonNode body = get(uri, "Bearer " + secrets.get("access_token"), "Meta");
        List<Template> templates = new ArrayList<>();
        for (JsonNode t : body.path("data")) {
            if (!"APPROVED".equalsIgnoreCase(t.path("status").asString(""))) {
                continue;
            }
            String text = null;
            for (JsonNode c : t.path("components")) {
                if ("BODY".equalsIgnoreCase(c.path("type").asString(""))) {
                    text = c.path("text").asString(null);
                }
            }
            templates.add(new Template(t.path("name").asString(), t.path("language").asString(), t.path("category").asString(null),
                    text, null, variableCount(text)));
        }
        return templates;
    }

    private List<Template> twilio(ChannelAccount account, Map<String, String> secrets) {
        String sid = account.configValue("account_sid");
        URI uri = URI.create(apis.twilioContentApiBaseUrl().replaceAll("/+$", "") + "/v1/ContentAndApprovals?PageSize=100");
        JsonNode body = get(uri, "Basic " + Base64.getEncoder().encodeToString((sid + ":" + secrets.get("auth_token"))
                .getBytes(StandardCharsets.UTF_8)), "Twilio");
        List<Template> templates = new ArrayList<>();
        for (JsonNode c : body.path("contents")) {
            JsonNode approval = c.path("approval_requests");
            if (!"approved".equalsIgnoreCase(approval.path("status").asString(""))) {
                continue;
            }
            String text = null;
            for (JsonNode type : c.path("types")) {
                text = text != null ? text : type.path("body").asString(null);
            }
            templates.add(new Template(c.path("friendly_name").asString(), c.path("language").asString(""),
                    approval.path("category").asString(null), text, c.path("sid").asString(), variableCount(text)));
        }
        return templates;
    }

    private JsonNode get(URI uri, String authorization, String provider) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20))
                    .header("Authorization", authorization).header("Accept", "application/json").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body() == null || response.body().isBlank() ? json.missingNode() : json.readTree(response.body());
            if (response.statusCode() / 100 != 2) {
                String message = body.path("error").path("message").asString(body.path("message").asString("HTTP " + response.statusCode()));
                throw new InvalidInput(provider + " did not list the templates: " + message);
            }
            return body;
        } catch (IOException | JacksonException e) {
            throw new InvalidInput(provider + " did not list the templates: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InvalidInput("interrupted while listing templates");
        }
    }

    /** How many distinct numbered variables a body has ({{1}} … {{n}}). */
    static int variableCount(String body) {
        if (body == null) {
            return 0;
        }
        TreeSet<Integer> numbers = new TreeSet<>();
        Matcher m = VARIABLE.matcher(body);
        while (m.find()) {
            numbers.add(Integer.parseInt(m.group(1)));
        }
        return numbers.size();
    }
}
