package io.switchboard.bench;

import io.switchboard.channel.provider.TwilioSignature;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The app's public surface as the bench uses it: the REST API with the bootstrap token, and signed Twilio webhooks. */
final class SwitchboardApi {

    static final String TWILIO_AUTH_TOKEN = "bench-twilio-auth-token";
    private static final String BUSINESS_NUMBER = "whatsapp:+14155238886";

    private final String baseUrl;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    SwitchboardApi(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    /** What the bench configured: the organization and the Twilio account whose AI agent answers. */
    record Setup(UUID organizationId, UUID agentId, UUID accountId) {
    }

    /**
     * LLM settings pointing at the fake, an AI agent that answers at once (no context timer, no humanized
     * delay) and keeps answering long conversations (the default hands over after 20 customer messages,
     * which would end the 10,000-message flatness test), and a Twilio account owned by it.
     */
    Setup configure(String fakeBaseUrl) throws IOException, InterruptedException {
        UUID organizationId = UUID.fromString(field(call("GET", "/api/v1/me", null, 200), "organization_id"));
        call("PUT", "/api/v1/settings/llm", """
                {"api_key":"sk-bench","base_url":"%s/v1"}""".formatted(fakeBaseUrl), 200);
        String agent = call("POST", "/api/v1/ai_agents", """
                {"name":"Bench","prompt":"You answer customers of a shop.","model":"gpt-4o-mini","tools":[],
                 "settings":{"context_timer_seconds":0,"response_delay_min":0,"response_delay_max":0,
                             "escalation":{"max_customer_messages_enabled":false}}}""", 201);
        UUID agentId = UUID.fromString(field(agent, "id"));
        String account = call("POST", "/api/v1/channel_accounts", """
                {"type":"twilio","name":"Bench WhatsApp","default_ai_agent_id":"%s",
                 "config":{"account_sid":"%s","auth_token":"%s","from":"%s"}}"""
                .formatted(agentId, FakeProviders.TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, BUSINESS_NUMBER), 201);
        return new Setup(organizationId, agentId, UUID.fromString(field(account, "id")));
    }

    /**
     * Posts a customer's WhatsApp message as Twilio does, signed with the account's auth token.
     *
     * @return the HTTP status of the acknowledgement
     */
    int customerMessage(UUID accountId, String messageSid, String phone, String text) throws IOException, InterruptedException {
        return send(customerMessageRequest(accountId, messageSid, phone, text));
    }

    /** Sends a prepared webhook; returns the HTTP status of the acknowledgement. */
    int send(HttpRequest webhook) throws IOException, InterruptedException {
        return http.send(webhook, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** A customer's WhatsApp message as Twilio posts it, signed: built ahead so a burst's sends start together. */
    HttpRequest customerMessageRequest(UUID accountId, String messageSid, String phone, String text) {
        String path = "/webhooks/twilio/" + accountId;
        Map<String, String> params = new LinkedHashMap<>();
        params.put("MessageSid", messageSid);
        params.put("SmsMessageSid", messageSid);
        params.put("AccountSid", FakeProviders.TWILIO_ACCOUNT_SID);
        params.put("From", "whatsapp:" + phone);
        params.put("To", BUSINESS_NUMBER);
        params.put("Body", text);
        params.put("NumMedia", "0");
        params.put("ProfileName", "Bench Customer");
        params.put("WaId", phone.replace("+", ""));
        params.put("SmsStatus", "received");
        params.put("ApiVersion", "2010-04-01");
        String form = params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Twilio-Signature", TwilioSignature.compute(baseUrl + path, params, TWILIO_AUTH_TOKEN))
                .timeout(Duration.ofSeconds(60)) // a burst of 1,000 at once queues at the app's connection pool
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
    }

    private String call(String method, String path, String json, int expected) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json");
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** A top-level string field of a JSON object; enough for ids, without a JSON library on the bench's classpath. */
    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no '" + name + "' in " + json);
        }
        return m.group(1);
    }
}
