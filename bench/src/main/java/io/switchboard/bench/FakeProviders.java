package io.switchboard.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The two providers a turn talks to, played in the harness process in their real wire formats: an
 * OpenAI-compatible {@code /v1/chat/completions} that answers after a configurable delay, and Twilio's
 * Messages API, which notes when each customer's reply arrives.
 */
final class FakeProviders implements AutoCloseable {

    static final String ANSWER = "Your order ships tomorrow.";
    static final String TWILIO_ACCOUNT_SID = "ACbench0000000000000000000000000";

    private final HttpServer server;
    // cached, not fixed: with an LLM delay every in-flight turn holds a thread here while it waits
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final long llmLatencyMillis;
    private final Map<String, CompletableFuture<Long>> awaitedReplies = new ConcurrentHashMap<>();
    private final AtomicLong completions = new AtomicLong();
    private final AtomicLong answersDelivered = new AtomicLong();
    private final AtomicLong unexpectedOutbound = new AtomicLong();

    FakeProviders(long llmLatencyMillis) throws IOException {
        this.llmLatencyMillis = llmLatencyMillis;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        server.createContext("/v1/chat/completions", this::completion);
        server.createContext("/2010-04-01/Accounts/", this::twilioMessage);
        server.setExecutor(executor);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * The moment (System.nanoTime) the AI's answer to {@code phone} reaches Twilio. Register before the
     * webhook is sent, so a fast reply cannot arrive before anyone waits for it.
     */
    CompletableFuture<Long> awaitReplyTo(String phone) {
        CompletableFuture<Long> arrival = new CompletableFuture<>();
        awaitedReplies.put(phone, arrival);
        return arrival;
    }

    void forget(String phone) {
        awaitedReplies.remove(phone);
    }

    long completions() {
        return completions.get();
    }

    long answersDelivered() {
        return answersDelivered.get();
    }

    /** Outbound messages that were not the expected AI answer to an awaited customer: fallbacks, duplicates. */
    long unexpectedOutbound() {
        return unexpectedOutbound.get();
    }

    private void completion(HttpExchange exchange) throws IOException {
        try (exchange) {
            drain(exchange.getRequestBody());
            completions.incrementAndGet();
            if (llmLatencyMillis > 0) {
                Thread.sleep(llmLatencyMillis);
            }
            String body = """
                    {"id":"chatcmpl-%s","object":"chat.completion","created":1717000000,"model":"gpt-4o-mini-2024-07-18",
                     "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"logprobs":null,"finish_reason":"stop"}],
                     "usage":{"prompt_tokens":320,"completion_tokens":12,"total_tokens":332,"prompt_tokens_details":{"cached_tokens":0}}}"""
                    .formatted(UUID.randomUUID(), ANSWER);
            respond(exchange, 200, body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void twilioMessage(HttpExchange exchange) throws IOException {
        long arrived = System.nanoTime();
        try (exchange) {
            Map<String, String> form = parseForm(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String to = form.getOrDefault("To", "").replace("whatsapp:", "");
            CompletableFuture<Long> awaited = ANSWER.equals(form.get("Body")) ? awaitedReplies.remove(to) : null;
            if (awaited != null) {
                answersDelivered.incrementAndGet();
                awaited.complete(arrived);
            } else {
                unexpectedOutbound.incrementAndGet();
            }
            respond(exchange, 201, "{\"sid\":\"SM" + UUID.randomUUID().toString().replace("-", "") + "\",\"status\":\"queued\"}");
        }
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static void drain(InputStream in) throws IOException {
        in.readAllBytes();
    }

    private static Map<String, String> parseForm(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
