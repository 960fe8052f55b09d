package io.switchboard.ai.llm;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

/** Bodies in the OpenAI Chat Completions wire format (PROTOCOLS.md), for the WireMock fake provider. */
final class OpenAiWire {

    static final String PATH = "/v1/chat/completions";

    private OpenAiWire() {}

    static ResponseDefinitionBuilder answer(String content, int prompt, int completion, int cached) {
        return json(200, """
                {"id":"chatcmpl-1","object":"chat.completion","created":1767225600,"model":"gpt-4o-mini-2024-07-18",
                 "choices":[{"index":0,"message":{"role":"assistant","content":%s,"refusal":null},
                             "logprobs":null,"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d,
                          "prompt_tokens_details":{"cached_tokens":%d,"audio_tokens":0},
                          "completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0}},
                 "system_fingerprint":"fp_test"}
                """.formatted(content == null ? "null" : quoted(content), prompt, completion, prompt + completion, cached));
    }

    static ResponseDefinitionBuilder answer(String content) {
        return answer(content, 100, 20, 0);
    }

    /** Tool calls; {@code calls} are {id, name, arguments} triples, arguments as the raw string. */
    static ResponseDefinitionBuilder toolCalls(String[]... calls) {
        StringBuilder array = new StringBuilder();
        for (String[] call : calls) {
            if (array.length() > 0) {
                array.append(',');
            }
            array.append("""
                    {"id":%s,"type":"function","function":{"name":%s,"arguments":%s}}"""
                    .formatted(quoted(call[0]), quoted(call[1]), quoted(call[2])));
        }
        return json(200, """
                {"id":"chatcmpl-2","object":"chat.completion","created":1767225600,"model":"gpt-4o-mini",
                 "choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[%s]},
                             "finish_reason":"tool_calls"}],
                 "usage":{"prompt_tokens":150,"completion_tokens":30,"total_tokens":180,
                          "prompt_tokens_details":{"cached_tokens":0}}}
                """.formatted(array));
    }

    static ResponseDefinitionBuilder error(int status, String type, String code, String message) {
        return json(status, """
                {"error":{"message":%s,"type":%s,"param":null,"code":%s}}
                """.formatted(quoted(message), quoted(type), code == null ? "null" : quoted(code)));
    }

    static ResponseDefinitionBuilder rateLimited(int retryAfterSeconds) {
        return error(429, "requests", "rate_limit_exceeded",
                "Rate limit reached for gpt-4o-mini in organization org-x on requests per min (RPM): Limit 3, Used 3, Requested 1.")
                .withHeader("Retry-After", String.valueOf(retryAfterSeconds));
    }

    static ResponseDefinitionBuilder quotaExhausted() {
        return error(429, "insufficient_quota", "insufficient_quota",
                "You exceeded your current quota, please check your plan and billing details.");
    }

    static ResponseDefinitionBuilder invalidKey() {
        return error(401, "invalid_request_error", "invalid_api_key",
                "Incorrect API key provided: sk-wrong. You can find your API key at https://platform.openai.com/account/api-keys.");
    }

    static ResponseDefinitionBuilder serverError() {
        return error(500, "server_error", null, "The server had an error while processing your request. Sorry about that!");
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    static String quoted(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }
}
