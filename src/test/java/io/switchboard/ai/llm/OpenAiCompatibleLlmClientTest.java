package io.switchboard.ai.llm;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class OpenAiCompatibleLlmClientTest {

    @RegisterExtension
    static WireMockExtension provider = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final LlmTool ORDER_STATUS = new LlmTool("order_status", "Looks up an order by its number",
            """
            {"type":"object","properties":{"order_number":{"type":"string","description":"e.g. 1234","minLength":3}},
             "required":["order_number"],"additionalProperties":false}""");

    private final OpenAiCompatibleLlmClient client = new OpenAiCompatibleLlmClient();

    private LlmRequest request(List<LlmMessage> messages, List<LlmTool> tools) {
        return new LlmRequest(new LlmEndpoint(provider.baseUrl() + "/v1", "sk-test"), "gpt-4o-mini", 0.3, 400,
                messages, tools, Duration.ofSeconds(5));
    }

    private LlmRequest question(String text) {
        return request(List.of(new LlmMessage.System("You answer for ACME."), new LlmMessage.User(text)), List.of());
    }

    @Test
    void aPlainAnswerReturnsItsTextAndUsageWithCachedTokens() throws Exception {
        provider.stubFor(post(OpenAiWire.PATH).willReturn(OpenAiWire.answer("We open at 9am.", 1000, 500, 200)));

        LlmReply reply = client.chat(question("When do you open?"));

        assertThat(reply.text()).isEqualTo("We open at 9am.");
        assertThat(reply.toolCalls()).isEmpty();
        assertThat(reply.usage()).isEqualTo(new LlmUsage(1000, 500, 200));
        assertThat(reply.finishReason()).isEqualTo("stop");
        assertThat(reply.latency()).isPositive();
        LoggedRequest sent = provider.findAll(postRequestedFor(urlEqualTo(OpenAiWire.PATH))).get(0);
        assertThat(sent.getHeader("Authorization")).isEqualTo("Bearer sk-test");
        JsonNode body = JSON.readTree(sent.getBodyAsString());
        assertThat(body.path("model").asString()).isEqualTo("gpt-4o-mini");
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.3);
        assertThat(body.path("max_tokens").asInt()).isEqualTo(400);
        assertThat(body.path("messages").get(0).path("role").asString()).isEqualTo("system");
        assertThat(body.path("messages").get(1).path("content").asString()).isEqualTo("When do you open?");
        assertThat(body.has("tools")).isFalse();
    }

    @Test
    void toolCallsComeBackParsedEvenWhenTheirArgumentsAreNotValidJson() throws Exception {
        provider.stubFor(post(OpenAiWire.PATH).willReturn(OpenAiWire.toolCalls(
                new String[] {"call_abc", "order_status", "{\"order_number\":\"1234\"}"},
                new String[] {"call_def", "order_status", "{\"order_number\": 12"})));

        LlmReply reply = client.chat(request(List.of(new LlmMessage.User("Where is order 1234?")), List.of(ORDER_STATUS)));

        assertThat(reply.text()).isNull();
        assertThat(reply.finishReason()).isEqualTo("tool_calls");
        assertThat(reply.toolCalls()).containsExactly(
                new LlmToolCall("call_abc", "order_status", "{\"order_number\":\"1234\"}"),
                new LlmToolCall("call_def", "order_status", "{\"order_number\": 12"));
    }

    @Test
    void toolsAreOfferedWithToolChoiceAutoAndTheirSchemaAsWritten() throws Exception {
        provider.stubFor(post(OpenAiWire.PATH).willReturn(OpenAiWire.answer("ok")));

        client.chat(request(List.of(new LlmMessage.User("Where is order 1234?")), List.of(ORDER_STATUS)));

        JsonNode body = JSON.readTree(provider.findAll(postRequestedFor(urlEqualTo(OpenAiWire.PATH))).get(0).getBodyAsString());
        assertThat(body.path("tool_choice").asString()).isEqualTo("auto");
        JsonNode function = body.path("tools").get(0).path("function");
        assertThat(body.path("tools").get(0).path("type").asString()).isEqualTo("function");
        assertThat(function.path("name").asString()).isEqualTo("order_status");
        assertThat(function.path("description").asString()).isEqualTo("Looks up an order by its number");
        JsonNode written = JSON.readTree(ORDER_STATUS.parametersJsonSchema());
        // Property schemas travel verbatim (minLength included); LangChain4j drops the top-level
        // additionalProperties outside strict mode, where OpenAI would not enforce it anyway.
        assertThat(function.path("parameters").path("type").asString()).isEqualTo("object");
        assertThat(function.path("parameters").path("properties")).isEqualTo(written.path("properties"));
        assertThat(function.path("parameters").path("required")).isEqualTo(written.path("required"));
    }

    @Test
    void aFollowUpCarriesTheAssistantToolCallsAndAToolMessagePerCall() throws Exception {
        provider.stubFor(post(OpenAiWire.PATH).willReturn(OpenAiWire.answer("Order 1234 ships tomorrow.")));
        List<LlmMessage> conversation = List.of(
                new LlmMessage.System("You answer for ACME."),
                new LlmMessage.User("Where is order 1234?"),
                new LlmMessage.Assistant(null, List.of(new LlmToolCall("call_abc", "order_status", "{\"order_number\":\"1234\"}"))),
                new LlmMessage.ToolResult("call_abc", "order_status", "{\"status\":\"packed\",\"ships\":\"tomorrow\"}"));

        LlmReply reply = client.chat(request(conversation, List.of(ORDER_STATUS)));

        assertThat(reply.text()).isEqualTo("Order 1234 ships tomorrow.");
        JsonNode messages = JSON.readTree(provider.findAll(postRequestedFor(urlEqualTo(OpenAiWire.PATH))).get(0).getBodyAsString())
                .path("messages");
        JsonNode assistant = messages.get(2);
        assertThat(assistant.path("role").asString()).isEqualTo("assistant");
        JsonNode call = assistant.path("tool_calls").get(0);
        assertThat(call.path("id").asString()).isEqualTo("call_abc");
        assertThat(call.path("type").asString()).isEqualTo("function");
        assertThat(call.path("function").path("name").asString()).isEqualTo("order_status");
        assertThat(call.path("function").path("arguments").asString()).isEqualTo("{\"order_number\":\"1234\"}");
        JsonNode tool = messages.get(3);
        assertThat(tool.path("role").asString()).isEqualTo("tool");
        assertThat(tool.path("tool_call_id").asString()).isEqualTo("call_abc");
        assertThat(tool.path("content").asString()).isEqualTo("{\"status\":\"packed\",\"ships\":\"tomorrow\"}");
    }

    @Test
    void aRateLimitIsRetryableAndCarriesRetryAfter() {
        provider.stubFor(post(OpenAiWire.PATH).willReturn(OpenAiWire.rateLimited(7)));

        LlmCallException failure = catchThrowableOfType(LlmCallException.class, () -> client.chat(question("hi")));

        assertThat(failure.reason()).isEqualTo(FailureReason.RATE_LIMIT);
        assertThat(failure.reason().retryable()).isTrue();
        assertThat(failure.retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(failure.httpStatus()).isEqualTo(429);
        assertThat(failure.getMessage()).contains("rate_limit_exceeded").contains("Rate limit reached");
    }

    @Test
    void anOverloadedProviderMayAskForAPauseToo() {
        provider.stubFor(post(OpenAiWire.PATH).willReturn(
                OpenAiWire.error(503, "server_error", null, "overloaded").withHeader("retry-after-ms", "1500")));

        LlmCallException failure = catchThrowableOfType(LlmCallException.class, () -> client.chat(question("hi")));

        assertThat(failure.reason()).isEqualTo(FailureReason.PROVIDER_UNAVAILABLE);
        assertThat(failure.retryAfter()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void insufficientQuotaIsA429ThatMustNotBeRetried() {
        provider.stubFor(post(OpenAiWire.PATH).willReturn(OpenAiWire.quotaExhausted()));

        LlmCallException failure = catchThrowableOfType(LlmCallException.class, () -> client.chat(question("hi")));

        assertThat(failure.reason()).isEqualTo(FailureReason.QUOTA_EXHAUSTED);
        assertThat(failure.reason().retryable()).isFalse();
        assertThat(failure.httpStatus()).isEqualTo(429);
        assertThat(failure.getMessage()).startsWith(FailureReason.QUOTA_EXHAUSTED.describe());
        provider.verify(1, postRequestedFor(urlEqualTo(OpenAiWire.PATH)));
    }

    @Test
    void httpStatusesMapToReasons() {
        record Case(com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder response, FailureReason reason) {}
        List<Case> cases = List.of(
                new Case(OpenAiWire.invalidKey(), FailureReason.INVALID_KEY),
                new Case(OpenAiWire.error(400, "invalid_request_error", "context_length_exceeded", "too long"), FailureReason.BAD_REQUEST),
                new Case(OpenAiWire.serverError(), FailureReason.PROVIDER_UNAVAILABLE),
                new Case(OpenAiWire.error(503, "server_error", null, "overloaded"), FailureReason.PROVIDER_UNAVAILABLE),
                new Case(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(502).withBody("<html>Bad gateway</html>"),
                        FailureReason.PROVIDER_UNAVAILABLE));
        for (Case c : cases) {
            provider.resetAll();
            provider.stubFor(post(OpenAiWire.PATH).willReturn(c.response()));

            LlmCallException failure = catchThrowableOfType(LlmCallException.class, () -> client.chat(question("hi")));

            assertThat(failure.reason()).as(c.toString()).isEqualTo(c.reason());
            provider.verify(1, postRequestedFor(urlEqualTo(OpenAiWire.PATH)));
        }
    }

    @Test
    void aHangingProviderIsATimeoutOfThatCall() {
        provider.stubFor(post(OpenAiWire.PATH).willReturn(OpenAiWire.answer("late").withFixedDelay(3000)));
        LlmRequest request = question("hi").withCallTimeout(Duration.ofMillis(500));

        long started = System.nanoTime();
        LlmCallException failure = catchThrowableOfType(LlmCallException.class, () -> client.chat(request));

        assertThat(failure.reason()).isEqualTo(FailureReason.TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1500));
    }

    @Test
    void aRefusedConnectionMeansTheProviderIsUnavailable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        LlmRequest request = new LlmRequest(new LlmEndpoint("http://127.0.0.1:" + closedPort + "/v1", "sk-test"), "gpt-4o-mini",
                0.3, 100, List.of(new LlmMessage.User("hi")), List.of(), Duration.ofSeconds(5));

        LlmCallException failure = catchThrowableOfType(LlmCallException.class, () -> client.chat(request));

        assertThat(failure.reason()).isEqualTo(FailureReason.PROVIDER_UNAVAILABLE);
        assertThat(failure.httpStatus()).isZero();
    }

    @Test
    void reasoningModelsGetMaxCompletionTokensAndNoTemperature() throws Exception {
        provider.stubFor(post(OpenAiWire.PATH).willReturn(OpenAiWire.answer("ok")));
        LlmRequest request = new LlmRequest(new LlmEndpoint(provider.baseUrl() + "/v1/", "sk-test"), "gpt-5-mini", 0.3, 400,
                List.of(new LlmMessage.User("hi")), List.of(), Duration.ofSeconds(5));

        client.chat(request);

        JsonNode body = JSON.readTree(provider.findAll(postRequestedFor(urlEqualTo(OpenAiWire.PATH))).get(0).getBodyAsString());
        assertThat(body.path("max_completion_tokens").asInt()).isEqualTo(400);
        assertThat(body.has("max_tokens")).isFalse();
        assertThat(body.has("temperature")).isFalse();
    }
}
