package io.switchboard.channel.provider;

import static io.switchboard.channel.provider.JsonFields.text;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
        if (request.text() != null && !request.text().isBlank()) {
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
