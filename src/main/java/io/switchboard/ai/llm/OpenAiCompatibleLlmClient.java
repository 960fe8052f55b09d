package io.switchboard.ai.llm;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ToolChoice;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiChatRequestParameters;
import dev.langchain4j.model.openai.OpenAiTokenUsage;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link LlmClient} for any server speaking OpenAI Chat Completions ({@code POST
 * {baseUrl}/chat/completions}): OpenAI, Azure OpenAI's v1 API, Ollama, vLLM, LM Studio, Groq…
 * The {@link LlmEndpoint#baseUrl()} is the API root with its version segment, e.g.
 * {@code https://api.openai.com/v1}.
 *
 * <p>Built on LangChain4j's {@link OpenAiChatModel}, so the wire mapping (messages, tools,
 * {@code tool_call_id}s, usage with cached tokens) is theirs. One model per endpoint, key and model
 * name is built lazily and cached; it is built with {@code maxRetries(0)} because
 * {@link RetryingLlmCaller} owns retries (LangChain4j would otherwise retry every 429, including
 * {@code insufficient_quota}).
 *
 * <p>Why a custom HTTP client ({@link ProviderHttpClient}) under the model: LangChain4j's stock
 * client drops the headers of an error response (so {@code Retry-After} is lost) and fixes the
 * timeout when the model is built, while each of our calls must fit into what is left of the turn's
 * deadline. Plugging our own implementation of its {@code HttpClient} SPI keeps LangChain4j's wire
 * mapping and gives us both, without hand-writing the JSON.
 *
 * <p>Reasoning models ({@code o1}, {@code o3}, {@code o4}, {@code gpt-5} families) reject
 * {@code max_tokens} and any temperature but the default, so for them the limit goes out as
 * {@code max_completion_tokens} and the temperature is left out.
 */
public final class OpenAiCompatibleLlmClient implements LlmClient {

    // Keys are (endpoint, model) pairs: a few per organization. A crude bound keeps a churn of
    // rotated keys from growing the cache forever.
    private static final int MAX_CACHED_MODELS = 512;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final java.net.http.HttpClient http;
    private final Map<ModelKey, OpenAiChatModel> models = new ConcurrentHashMap<>();

    public OpenAiCompatibleLlmClient() {
        this(java.net.http.HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                // OpenAI speaks HTTP/2; local servers (Ollama, WireMock) often only HTTP/1.1,
                // and the h2c upgrade dance buys nothing there.
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .build());
    }

    /** With a caller-supplied JDK client (proxy, TLS settings); it is shared by all endpoints. */
    public OpenAiCompatibleLlmClient(java.net.http.HttpClient http) {
        this.http = http;
    }

    @Override
    public LlmReply chat(LlmRequest request) throws LlmCallException {
        OpenAiChatModel model = modelFor(request.endpoint(), request.model());
        long started = System.nanoTime();
        try {
            ChatRequest chatRequest = toChatRequest(request);
            ChatResponse response = ProviderHttpClient.withCallTimeout(request.callTimeout(), () -> model.chat(chatRequest));
            return toReply(response, Duration.ofNanos(System.nanoTime() - started));
        } catch (RuntimeException failure) {
            throw ProviderFailureClassifier.classify(failure);
        }
    }

    private OpenAiChatModel modelFor(LlmEndpoint endpoint, String modelName) {
        ModelKey key = new ModelKey(endpoint.baseUrl(), endpoint.apiKey(), modelName);
        if (models.size() > MAX_CACHED_MODELS) {
            models.clear();
        }
        return models.computeIfAbsent(key, k -> OpenAiChatModel.builder()
                .httpClientBuilder(new ProviderHttpClient.Builder(http))
                .baseUrl(k.baseUrl())
                .apiKey(k.apiKey())
                .modelName(k.modelName())
                .maxRetries(0)
                .build());
    }

    private static ChatRequest toChatRequest(LlmRequest request) {
        OpenAiChatRequestParameters.Builder parameters = OpenAiChatRequestParameters.builder().modelName(request.model());
        if (isReasoningModel(request.model())) {
            parameters.maxCompletionTokens(request.maxTokens());
        } else {
            parameters.temperature(request.temperature()).maxOutputTokens(request.maxTokens());
        }
        if (!request.tools().isEmpty()) {
            parameters.toolSpecifications(request.tools().stream().map(OpenAiCompatibleLlmClient::toToolSpecification).toList())
                    .toolChoice(request.toolsRequired() ? ToolChoice.REQUIRED : ToolChoice.AUTO);
        }
        return ChatRequest.builder()
                .messages(request.messages().stream().map(OpenAiCompatibleLlmClient::toChatMessage).toList())
                .parameters(parameters.build())
                .build();
    }

    static boolean isReasoningModel(String model) {
        return model.matches("^(o1|o3|o4|gpt-5)([-.].*)?$");
    }

    private static ChatMessage toChatMessage(LlmMessage message) {
        if (message instanceof LlmMessage.System system) {
            return SystemMessage.from(system.text());
        }
        if (message instanceof LlmMessage.User user) {
            return UserMessage.from(user.text());
        }
        if (message instanceof LlmMessage.Assistant assistant) {
            return AiMessage.builder()
                    .text(assistant.text())
                    .toolExecutionRequests(assistant.toolCalls().stream()
                            .map(call -> ToolExecutionRequest.builder()
                                    .id(call.id())
                                    .name(call.name())
                                    .arguments(call.argumentsJson())
                                    .build())
                            .toList())
                    .build();
        }
        LlmMessage.ToolResult result = (LlmMessage.ToolResult) message;
        return ToolExecutionResultMessage.from(result.toolCallId(), result.toolName(), result.content());
    }

    /**
     * Keeps the caller's schema as written: the top-level object is split into LangChain4j's
     * model, and each property travels as a raw schema (re-serialized verbatim by LangChain4j), so
     * keywords LangChain4j does not model ({@code minLength}, {@code format}…) are not lost.
     */
    static ToolSpecification toToolSpecification(LlmTool tool) {
        JsonNode schema;
        try {
            schema = JSON.readTree(tool.parametersJsonSchema());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Tool " + tool.name() + " has a parameters schema that is not JSON", e);
        }
        JsonObjectSchema.Builder parameters = JsonObjectSchema.builder();
        Map<String, JsonSchemaElement> properties = new LinkedHashMap<>();
        schema.path("properties").properties()
                .forEach(property -> properties.put(property.getKey(), JsonRawSchema.from(property.getValue().toString())));
        parameters.addProperties(properties);
        List<String> required = new ArrayList<>();
        schema.path("required").forEach(name -> required.add(name.asString()));
        if (!required.isEmpty()) {
            parameters.required(required);
        }
        if (schema.path("additionalProperties").isBoolean()) {
            parameters.additionalProperties(schema.path("additionalProperties").asBoolean());
        }
        if (schema.path("description").isString()) {
            parameters.description(schema.path("description").asString());
        }
        Map<String, JsonSchemaElement> definitions = new LinkedHashMap<>();
        schema.path("$defs").properties()
                .forEach(definition -> definitions.put(definition.getKey(), JsonRawSchema.from(definition.getValue().toString())));
        if (!definitions.isEmpty()) {
            parameters.definitions(definitions);
        }
        return ToolSpecification.builder()
                .name(tool.name())
                .description(tool.description())
                .parameters(parameters.build())
                .build();
    }

    private static LlmReply toReply(ChatResponse response, Duration latency) {
        AiMessage message = response.aiMessage();
        List<LlmToolCall> toolCalls = message.hasToolExecutionRequests()
                ? message.toolExecutionRequests().stream()
                        .map(call -> new LlmToolCall(call.id(), call.name(), call.arguments()))
                        .toList()
                : List.of();
        return new LlmReply(message.text(), toolCalls, toUsage(response.tokenUsage()), toWireFinishReason(response.finishReason()), latency);
    }

    private static LlmUsage toUsage(TokenUsage usage) {
        if (usage == null) {
            return LlmUsage.NONE;
        }
        int cached = 0;
        if (usage instanceof OpenAiTokenUsage openAi
                && openAi.inputTokensDetails() != null
                && openAi.inputTokensDetails().cachedTokens() != null) {
            cached = openAi.inputTokensDetails().cachedTokens();
        }
        return new LlmUsage(orZero(usage.inputTokenCount()), orZero(usage.outputTokenCount()), cached);
    }

    private static int orZero(Integer count) {
        return count == null ? 0 : count;
    }

    private static String toWireFinishReason(FinishReason reason) {
        if (reason == null) {
            return null;
        }
        return switch (reason) {
            case STOP -> "stop";
            case LENGTH -> "length";
            case TOOL_EXECUTION -> "tool_calls";
            case CONTENT_FILTER -> "content_filter";
            case OTHER -> "other";
        };
    }

    private record ModelKey(String baseUrl, String apiKey, String modelName) {}
}
