package io.switchboard.channel.provider;

import static io.switchboard.channel.provider.JsonFields.text;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends through Twilio's Messages API (WhatsApp or SMS):
 * {@code POST {base}/2010-04-01/Accounts/{account_sid}/Messages.json} with HTTP Basic auth.
 *
 * <p>Credentials {@code account_sid}, {@code auth_token}; config {@code from} (or
 * {@code messaging_service_sid}) and {@code whatsapp} ({@code true} prefixes both numbers with
 * {@code whatsapp:}, as does a {@code from} already starting with it). 429 and 5xx are retryable
 * (honouring {@code Retry-After}); other 4xx are permanent with a readable reason.
 */
public class TwilioSender implements ProviderSender {

    public static final String DEFAULT_API_BASE_URL = "https://api.twilio.com";
    private static final String WHATSAPP_PREFIX = "whatsapp:";
    /** How far Twilio's clock may run behind ours when matching a message created during an attempt. */
    private static final Duration LOOKUP_SKEW = Duration.ofMinutes(1);

    private final String apiBaseUrl;
    private final HttpClient http = ProviderHttp.newClient();
    private final JsonMapper json = JsonMapper.builder().build();

    public TwilioSender() {
        this(DEFAULT_API_BASE_URL);
    }

    public TwilioSender(String apiBaseUrl) {
        this.apiBaseUrl = ProviderHttp.stripBaseUrl(apiBaseUrl);
    }

    @Override
    public SendResult send(OutboundRequest request) {
        String accountSid = request.credential("account_sid");
        String authToken = request.credential("auth_token");
        if (accountSid == null || authToken == null) {
            return new SendResult.Permanent("configuration",
                    "Twilio channel lacks its account_sid or auth_token: complete the channel credentials");
        }
        String from = request.setting("from");
        String messagingServiceSid = request.setting("messaging_service_sid");
        if (from == null && messagingServiceSid == null) {
            return new SendResult.Permanent("configuration",
                    "Twilio channel lacks its 'from' number (or messaging_service_sid): complete the channel settings");
        }
        if (request.to() == null || request.to().isBlank()) {
            return new SendResult.Permanent("21211", TwilioErrors.reason("21211", null));
        }
        boolean whatsApp = request.flag("whatsapp") || (from != null && from.startsWith(WHATSAPP_PREFIX));

        List<String[]> form = new ArrayList<>();
        form.add(new String[] {"To", address(request.to().strip(), whatsApp)});
        if (from != null) {
            form.add(new String[] {"From", address(from, whatsApp)});
        } else {
            form.add(new String[] {"MessagingServiceSid", messagingServiceSid});
        }
        if (request.template() != null && request.template().contentSid() != null) {
            form.add(new String[] {"ContentSid", request.template().contentSid()});
            form.add(new String[] {"ContentVariables", contentVariables(request.template())});
        } else if (request.text() != null && !request.text().isBlank()) {
            form.add(new String[] {"Body", request.text()});
        }
        request.mediaUrls().forEach(url -> form.add(new String[] {"MediaUrl", url}));
        if (request.statusCallbackUrl() != null && !request.statusCallbackUrl().isBlank()) {
            form.add(new String[] {"StatusCallback", request.statusCallbackUrl()});
        }

        HttpRequest httpRequest = HttpRequest.newBuilder(URI.create(apiBaseUrl + "/2010-04-01/Accounts/"
                        + URLEncoder.encode(accountSid, StandardCharsets.UTF_8) + "/Messages.json"))
                .timeout(ProviderHttp.REQUEST_TIMEOUT)
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((accountSid + ":" + authToken).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(encode(form)))
                .build();
        return ProviderHttp.guarded("Twilio", () -> verdict(http.send(httpRequest, HttpResponse.BodyHandlers.ofString())));
    }

    /**
     * Lists the account's messages to the recipient ({@code GET …/Messages.json?To=&From=&DateSent>=day}, newest
     * first) and keeps the outbound ones with the same body created since {@code since} (less a minute for
     * clock skew between us and Twilio).
     */
    /** Twilio's ContentVariables: a JSON object from the variable's number to its value, {'1':'Maria'}. */
    private String contentVariables(TemplateMessage template) {
        var variables = json.createObjectNode();
        for (int i = 0; i < template.variables().size(); i++) {
            variables.put(String.valueOf(i + 1), template.variables().get(i));
        }
        return json.writeValueAsString(variables);
    }

    @Override
    public SentLookup findSent(OutboundRequest request, Instant since) {
        String accountSid = request.credential("account_sid");
        String authToken = request.credential("auth_token");
        String from = request.setting("from");
        if (accountSid == null || authToken == null || request.to() == null || request.to().isBlank()) {
            return new SentLookup.Unavailable("Twilio channel lacks its credentials or the recipient");
        }
        boolean whatsApp = request.flag("whatsapp") || (from != null && from.startsWith(WHATSAPP_PREFIX));
        List<String[]> query = new ArrayList<>();
        query.add(new String[] {"To", address(request.to().strip(), whatsApp)});
        if (from != null) {
            query.add(new String[] {"From", address(from, whatsApp)});
        }
        // "DateSent>=2026-12-02" on the wire is the parameter "DateSent>" with the value "2026-12-02" (GMT day)
        query.add(new String[] {"DateSent>", LocalDate.ofInstant(since.minus(LOOKUP_SKEW), ZoneOffset.UTC).toString()});
        query.add(new String[] {"PageSize", "100"});
        HttpRequest httpRequest = HttpRequest.newBuilder(URI.create(apiBaseUrl + "/2010-04-01/Accounts/"
                        + URLEncoder.encode(accountSid, StandardCharsets.UTF_8) + "/Messages.json?" + encode(query)))
                .timeout(ProviderHttp.REQUEST_TIMEOUT)
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((accountSid + ":" + authToken).getBytes(StandardCharsets.UTF_8)))
                .header("Accept", "application/json")
                .GET()
                .build();
        List<String> found = new ArrayList<>();
        SendResult outcome = ProviderHttp.guarded("Twilio", () -> {
            HttpResponse<String> response = http.send(httpRequest, HttpResponse.BodyHandlers.ofString());
            if (!ProviderHttp.isSuccess(response.statusCode())) {
                return new SendResult.Retryable("http_" + response.statusCode(),
                        "Twilio answered HTTP " + response.statusCode() + " to the message list: " + ProviderHttp.excerpt(response.body()), null);
            }
            JsonNode messages = parse(response.body()).path("messages");
            if (!messages.isArray()) {
                return new SendResult.Retryable("unexpected_response",
                        "Twilio's message list has no messages array: " + ProviderHttp.excerpt(response.body()), null);
            }
            String body = request.text() == null ? "" : request.text().strip();
            Instant earliest = since.minus(LOOKUP_SKEW);
            for (JsonNode message : messages) {
                String direction = text(message.path("direction"));
                String listedBody = text(message.path("body"));
                Instant created = rfc2822(text(message.path("date_created")));
                String sid = text(message.path("sid"));
                if (sid != null && (direction == null || direction.startsWith("outbound"))
                        && body.equals(listedBody == null ? "" : listedBody.strip())
                        && (created == null || !created.isBefore(earliest))) {
                    found.add(0, sid); // the list is newest first
                }
            }
            return null;
        });
        if (outcome instanceof SendResult.Retryable retryable) {
            return new SentLookup.Unavailable(retryable.reason());
        }
        return found.isEmpty() ? new SentLookup.NotFound() : new SentLookup.Found(found);
    }

    private static Instant rfc2822(String date) {
        if (date == null) {
            return null;
        }
        try {
            return ZonedDateTime.parse(date.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private SendResult verdict(HttpResponse<String> response) {
        JsonNode body = parse(response.body());
        int status = response.statusCode();
        if (ProviderHttp.isSuccess(status)) {
            String sid = text(body.path("sid"));
            return sid != null ? new SendResult.Sent(sid)
                    // Accepted but unreadable: retrying could send twice, so stop and surface it.
                    : new SendResult.Permanent("unexpected_response",
                    "Twilio accepted the message but returned no sid: " + ProviderHttp.excerpt(response.body()));
        }
        String code = text(body.path("code"));
        String message = text(body.path("message"));
        if (ProviderHttp.isRetryableStatus(status)) {
            return new SendResult.Retryable(code != null ? code : "http_" + status,
                    message != null ? message : "Twilio answered HTTP " + status, ProviderHttp.retryAfter(response));
        }
        if (code == null) {
            return new SendResult.Permanent("http_" + status,
                    "Twilio refused the message (HTTP " + status + "): " + ProviderHttp.excerpt(response.body()));
        }
        return new SendResult.Permanent(code, TwilioErrors.reason(code, message));
    }

    private JsonNode parse(String body) {
        try {
            JsonNode node = body == null || body.isBlank() ? null : json.readTree(body);
            return node == null ? json.missingNode() : node;
        } catch (JacksonException e) {
            return json.missingNode();
        }
    }

    private static String address(String number, boolean whatsApp) {
        if (!whatsApp || number.startsWith(WHATSAPP_PREFIX)) {
            return number;
        }
        return WHATSAPP_PREFIX + (number.startsWith("+") ? number : "+" + number.replaceAll("\\D", ""));
    }

    private static String encode(List<String[]> form) {
        StringBuilder encoded = new StringBuilder();
        for (String[] field : form) {
            if (!encoded.isEmpty()) {
                encoded.append('&');
            }
            encoded.append(URLEncoder.encode(field[0], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(field[1], StandardCharsets.UTF_8));
        }
        return encoded.toString();
    }
}
