package io.switchboard.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.test.context.TestComponent;

/**
 * An organization whose AI agent answers a Twilio WhatsApp number through an OpenAI-compatible server,
 * both played by the shared WireMock in their real wire formats. Each organization has its own Twilio
 * account SID and its own LLM key, so the per-setup helpers ({@link #twilioBodies(WireMockServer, AiSetup)},
 * {@link #completionRequests(WireMockServer, AiSetup)}) count only that organization's traffic, whatever
 * other tests left running against the shared fake.
 */
@TestComponent
public class AiFixtures {

    public static final String COMPLETIONS = "/v1/chat/completions";
    /** Twilio's messages endpoint of any account, as a path regex (for stubs and whole-fake counts). */
    public static final String ANY_TWILIO_MESSAGES = "/2010-04-01/Accounts/[A-Za-z0-9]+/Messages\\.json";
    /**
     * @deprecated no test account uses the SID "AC123" any more (each organization has its own, see
     * {@link Channels#twilioSid}); use {@link #twilioRequests(WireMockServer, AiSetup)} or {@link #ANY_TWILIO_MESSAGES}
     */
    @Deprecated
    public static final String TWILIO_MESSAGES = "/2010-04-01/Accounts/AC123/Messages.json";

    private final Tenants tenants;
    private final Channels channels;
    private final ApiClient api;

    AiFixtures(Tenants tenants, Channels channels, ApiClient api) {
        this.tenants = tenants;
        this.channels = channels;
        this.api = api;
    }

    /** The organization, its AI agent, and its Twilio account owned by that agent. */
    public record AiSetup(Tenants.Tenant tenant, UUID agentId, UUID accountId) {

        /** The organization's own Twilio account SID. */
        public String twilioSid() {
            return Channels.twilioSid(tenant);
        }

        /** The organization's own LLM API key (when created with one): the fake LLM sees it as the bearer token. */
        public String llmKey() {
            return llmKeyOf(tenant);
        }
    }

    static String llmKeyOf(Tenants.Tenant tenant) {
        return "sk-test-" + tenant.id().toString().replace("-", "");
    }

    /** Creates the setup; {@code settings} and {@code tools} go into the agent as given. */
    public AiSetup create(String name, Map<String, Object> settings, List<String> tools, boolean withLlmKey) {
        var tenant = tenants.create(name);
        Map<String, Object> agent = new LinkedHashMap<>();
        agent.put("name", "Lia");
        agent.put("prompt", "Você é a Lia, atendente da loja.");
        agent.put("model", "gpt-4o-mini");
        agent.put("settings", settings);
        agent.put("tools", tools);
        var created = api.post("/api/v1/ai_agents", tenant.adminToken(), agent);
        if (created.status() != 201) {
            throw new IllegalStateException("agent not created: " + created.body());
        }
        UUID agentId = UUID.fromString(created.json().get("id").asString());
        if (withLlmKey) {
            var set = api.put("/api/v1/settings/llm", tenant.adminToken(),
                    Map.of("api_key", llmKeyOf(tenant), "base_url", ProviderFakes.baseUrl() + "/v1"));
            if (set.status() != 200) {
                throw new IllegalStateException("llm settings not saved: " + set.body());
            }
        }
        return new AiSetup(tenant, agentId, channels.twilioAccount(tenant, agentId));
    }

    /** Twilio accepts every outbound message, of every account. */
    public static void twilioAccepts(WireMockServer wireMock) {
        wireMock.stubFor(post(urlPathMatching(ANY_TWILIO_MESSAGES)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"sid\":\"SM{{randomValue length=32 type='ALPHANUMERIC'}}\",\"status\":\"queued\"}")
                .withTransformers("response-template")));
    }

    /**
     * The Body of every message Twilio received since the fake was reset, of every account, in order. Counts
     * other tests' late traffic too: prefer {@link #twilioBodies(WireMockServer, AiSetup)}.
     */
    public static List<String> twilioBodies(WireMockServer wireMock) {
        return bodies(wireMock.findAll(postRequestedFor(urlPathMatching(ANY_TWILIO_MESSAGES))));
    }

    /** The Body of every message Twilio received for this setup's account, in order. */
    public static List<String> twilioBodies(WireMockServer wireMock, AiSetup setup) {
        return bodies(twilioRequests(wireMock, setup));
    }

    /** Every message Twilio received for this setup's account, in order. */
    public static List<LoggedRequest> twilioRequests(WireMockServer wireMock, AiSetup setup) {
        return twilioRequests(wireMock, setup.twilioSid());
    }

    /** Every message Twilio received for one account SID, in order. */
    public static List<LoggedRequest> twilioRequests(WireMockServer wireMock, String accountSid) {
        return wireMock.findAll(postRequestedFor(urlPathEqualTo(Channels.twilioMessagesPath(accountSid))));
    }

    /** The value of one form field of a request Twilio received (e.g. Body, To). */
    public static String formField(LoggedRequest request, String name) {
        for (String pair : request.getBodyAsString().split("&")) {
            if (pair.startsWith(name + "=")) {
                return URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static List<String> bodies(List<LoggedRequest> requests) {
        List<String> bodies = new ArrayList<>();
        for (LoggedRequest request : requests) {
            String body = formField(request, "Body");
            if (body != null) {
                bodies.add(body);
            }
        }
        return bodies;
    }

    /**
     * Every chat completion request the fake LLM received since the fake was reset, from every organization.
     * Counts other tests' late traffic too: prefer {@link #completionRequests(WireMockServer, AiSetup)}.
     */
    public static List<LoggedRequest> completionRequests(WireMockServer wireMock) {
        return wireMock.findAll(postRequestedFor(urlMatching(COMPLETIONS)));
    }

    /** The chat completion requests this setup's organization made (recognized by its own API key). */
    public static List<LoggedRequest> completionRequests(WireMockServer wireMock, AiSetup setup) {
        return wireMock.findAll(postRequestedFor(urlMatching(COMPLETIONS))
                .withHeader("Authorization", equalTo("Bearer " + setup.llmKey())));
    }

    /** A chat completion with a final answer and the given usage. */
    public static ResponseDefinitionBuilder answer(String text, int prompt, int cached, int completion) {
        return completion("{\"role\":\"assistant\",\"content\":" + quote(text) + "}", "stop", prompt, cached, completion);
    }

    /** A chat completion asking for tool calls: each call is {id, name, argumentsJson}. */
    public static ResponseDefinitionBuilder toolCalls(List<String[]> calls, int prompt, int cached, int completion) {
        StringBuilder list = new StringBuilder();
        for (String[] call : calls) {
            if (!list.isEmpty()) {
                list.append(',');
            }
            list.append("{\"id\":").append(quote(call[0])).append(",\"type\":\"function\",\"function\":{\"name\":")
                    .append(quote(call[1])).append(",\"arguments\":").append(quote(call[2])).append("}}");
        }
        return completion("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[" + list + "]}", "tool_calls", prompt, cached, completion);
    }

    public static ResponseDefinitionBuilder error(int status, String type, String code, String message) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":" + quote(message) + ",\"type\":" + quote(type) + ",\"param\":null,\"code\":"
                        + quote(code) + "}}");
    }

    private static ResponseDefinitionBuilder completion(String message, String finish, int prompt, int cached, int completion) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                {"id":"chatcmpl-%s","object":"chat.completion","created":1717000000,"model":"gpt-4o-mini-2024-07-18",
                 "choices":[{"index":0,"message":%s,"logprobs":null,"finish_reason":"%s"}],
                 "usage":{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d,
                          "prompt_tokens_details":{"cached_tokens":%d}}}"""
                .formatted(UUID.randomUUID(), message, finish, prompt, completion, prompt + completion, cached));
    }

    public static String quote(String value) {
        if (value == null) {
            return "null";
        }
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
