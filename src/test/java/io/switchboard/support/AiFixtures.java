package io.switchboard.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;

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
 * both played by the shared WireMock in their real wire formats.
 */
@TestComponent
public class AiFixtures {

    public static final String COMPLETIONS = "/v1/chat/completions";
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
                    Map.of("api_key", "sk-test-" + name.hashCode(), "base_url", ProviderFakes.baseUrl() + "/v1"));
            if (set.status() != 200) {
                throw new IllegalStateException("llm settings not saved: " + set.body());
            }
        }
        return new AiSetup(tenant, agentId, channels.twilioAccount(tenant, agentId));
    }

    /** Twilio accepts every outbound message. */
    public static void twilioAccepts(WireMockServer wireMock) {
        wireMock.stubFor(post(urlEqualTo(TWILIO_MESSAGES)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"sid\":\"SM{{randomValue length=32 type='ALPHANUMERIC'}}\",\"status\":\"queued\"}")
                .withTransformers("response-template")));
    }

    /** The Body of every message Twilio received, in order. */
    public static List<String> twilioBodies(WireMockServer wireMock) {
        List<String> bodies = new ArrayList<>();
        for (LoggedRequest request : wireMock.findAll(postRequestedFor(urlEqualTo(TWILIO_MESSAGES)))) {
            for (String pair : request.getBodyAsString().split("&")) {
                if (pair.startsWith("Body=")) {
                    bodies.add(URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8));
                }
            }
        }
        return bodies;
    }

    public static List<LoggedRequest> completionRequests(WireMockServer wireMock) {
        return wireMock.findAll(postRequestedFor(urlMatching(COMPLETIONS)));
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
