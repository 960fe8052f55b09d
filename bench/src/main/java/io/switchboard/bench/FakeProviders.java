package io.switchboard.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * The two providers a turn talks to, played in the harness process in their real wire formats: an
 * OpenAI-compatible {@code /v1/chat/completions} that answers after a configurable delay, and Twilio's
 * Messages API, which notes when each customer's reply arrives and what it said, and lists what it accepted
 * ({@code GET …/Messages.json?To=…}) the way Twilio does, for a delivery that was interrupted mid-call and asks
 * before sending again.
 *
 * <p>The JDK's HttpServer runs every exchange on a virtual thread (the harness runs on JDK 21+), so 1,000
 * completions sleeping through a 10 s LLM latency at once cost 1,000 parked virtual threads, not 1,000
 * platform threads: the fakes are never what bounds a level.
 */
final class FakeProviders implements AutoCloseable {

    static final String ANSWER = "Your order ships tomorrow.";
    static final String TWILIO_ACCOUNT_SID = "ACbench0000000000000000000000000";

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private volatile long llmLatencyMillis;
    private final Map<String, Customer> customers = new ConcurrentHashMap<>();
    private final AtomicLong completions = new AtomicLong();
    private final AtomicInteger completionsInFlight = new AtomicInteger();
    private final AtomicInteger peakCompletionsInFlight = new AtomicInteger();
    private final AtomicLong answersDelivered = new AtomicLong();
    private final AtomicLong fallbacks = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong unknownOutbound = new AtomicLong();
    private final AtomicLong lookups = new AtomicLong();
    /** What the fake Twilio accepted, per recipient, newest last: what its message list answers. */
    private final Map<String, List<Sent>> accepted = new ConcurrentHashMap<>();
    private volatile Latencies llmOvershoot = new Latencies();
    /** LLM calls whose prompt carries a customer's {@link #marked} tag: when each started and answered. */
    private final Map<String, LlmCall> markedCalls = new ConcurrentHashMap<>();
    private static final Pattern MARK = Pattern.compile("\\[customer-(\\d+)]");

    /** What reached the fake Twilio for a customer: the moment (System.nanoTime) and whether it was the AI's answer. */
    record Reply(long arrivedNanos, boolean expectedAnswer) {
    }

    /** One LLM call of a marked customer (System.nanoTime): when its request arrived and its answer was written. */
    record LlmCall(long startedNanos, long answeredNanos) {
    }

    /** The tag a customer's message carries so the fake LLM can tell whose turn a call is. */
    static String marked(String text, int customer) {
        return text + " [customer-" + customer + "]";
    }

    /** The first LLM call that carried {@code customer}'s tag, if it was answered. */
    LlmCall llmCallOf(int customer) {
        return markedCalls.get(String.valueOf(customer));
    }

    /** A message the fake Twilio accepted. */
    record Sent(String sid, String to, String from, String body, ZonedDateTime created) {
    }

    /** One customer the harness waits for: the first outbound message completes the future, later ones are duplicates. */
    private static final class Customer {
        final CompletableFuture<Reply> first = new CompletableFuture<>();
        final AtomicInteger outbound = new AtomicInteger();
    }

    FakeProviders(long llmLatencyMillis) throws IOException {
        this.llmLatencyMillis = llmLatencyMillis;
        // a deep accept backlog: a burst opens one connection per in-flight LLM call and delivery. And the JDK
        // server's cap of 200 idle keep-alive connections lifted: over it, it closes the surplus the app's
        // client still holds, the app's next message on one breaks unanswered ("header parser received no
        // bytes") and is sent again only after asking Twilio's message list: a fake's artifact, not Twilio's.
        System.setProperty("sun.net.httpserver.maxIdleConnections", "100000");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8192);
        server.createContext("/v1/chat/completions", this::completion);
        server.createContext("/2010-04-01/Accounts/", this::twilioMessage);
        server.setExecutor(executor);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    long llmLatencyMillis() {
        return llmLatencyMillis;
    }

    /** Changes the LLM's answer time for calls that start from now on. */
    void llmLatencyMillis(long millis) {
        this.llmLatencyMillis = millis;
    }

    /**
     * The first outbound message to {@code phone} at the fake Twilio. Register before the webhook is sent, so
     * a fast reply cannot arrive before anyone waits for it. The customer stays known for the whole run, so a
     * second message to them counts as a duplicate however late it comes.
     */
    CompletableFuture<Reply> awaitReplyTo(String phone) {
        Customer customer = new Customer();
        customers.put(phone, customer);
        return customer.first;
    }

    long completions() {
        return completions.get();
    }

    /** Most LLM calls the fake held open at once since the last call of this method. */
    int peakCompletionsInFlightAndReset() {
        return peakCompletionsInFlight.getAndSet(completionsInFlight.get());
    }

    /** First outbound messages that were the expected AI answer. */
    long answersDelivered() {
        return answersDelivered.get();
    }

    /** First outbound messages to a customer that were not the AI's answer (the fallback text). */
    long fallbacks() {
        return fallbacks.get();
    }

    /** Second and later outbound messages to the same customer. */
    long duplicates() {
        return duplicates.get();
    }

    /** Outbound messages to numbers the harness never wrote from. */
    long unknownOutbound() {
        return unknownOutbound.get();
    }

    /** Message-list requests: deliveries that found a message in doubt and asked Twilio before sending again. */
    long lookups() {
        return lookups.get();
    }

    /** Outbound messages that were not the expected AI answer to an awaited customer: fallbacks, duplicates, strangers. */
    long unexpectedOutbound() {
        return fallbacks.get() + duplicates.get() + unknownOutbound.get();
    }

    /**
     * How much longer than the configured latency the fake took per call, from its handler's start to the
     * response written, since the last call of this method: the fake's own share of the message → answer time.
     */
    Latencies llmOvershootAndReset() {
        Latencies result = llmOvershoot;
        llmOvershoot = new Latencies();
        return result;
    }

    private void completion(HttpExchange exchange) throws IOException {
        long started = System.nanoTime();
        long latency = llmLatencyMillis;
        int inFlight = completionsInFlight.incrementAndGet();
        peakCompletionsInFlight.accumulateAndGet(inFlight, Math::max);
        try (exchange) {
            var mark = MARK.matcher(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            completions.incrementAndGet();
            long remaining = latency * 1_000_000 - (System.nanoTime() - started);
            if (remaining > 0) {
                Thread.sleep(remaining / 1_000_000, (int) (remaining % 1_000_000));
            }
            String body = """
                    {"id":"chatcmpl-%s","object":"chat.completion","created":1717000000,"model":"gpt-4o-mini-2024-07-18",
                     "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"logprobs":null,"finish_reason":"stop"}],
                     "usage":{"prompt_tokens":320,"completion_tokens":12,"total_tokens":332,"prompt_tokens_details":{"cached_tokens":0}}}"""
                    .formatted(UUID.randomUUID(), ANSWER);
            respond(exchange, 200, body);
            if (mark.find()) {
                markedCalls.putIfAbsent(mark.group(1), new LlmCall(started, System.nanoTime()));
            }
            llmOvershoot.add(Math.max(0, System.nanoTime() - started - latency * 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            completionsInFlight.decrementAndGet();
        }
    }

    private void twilioMessage(HttpExchange exchange) throws IOException {
        long arrived = System.nanoTime();
        try (exchange) {
            if ("GET".equals(exchange.getRequestMethod())) {
                listMessages(exchange);
                return;
            }
            Map<String, String> form = parseForm(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String sid = "SM" + UUID.randomUUID().toString().replace("-", "");
            accepted.computeIfAbsent(form.getOrDefault("To", ""), k -> new CopyOnWriteArrayList<>())
                    .add(new Sent(sid, form.getOrDefault("To", ""), form.getOrDefault("From", ""), form.getOrDefault("Body", ""),
                            ZonedDateTime.now(ZoneOffset.UTC)));
            String to = form.getOrDefault("To", "").replace("whatsapp:", "");
            boolean expected = ANSWER.equals(form.get("Body"));
            Customer customer = customers.get(to);
            if (customer == null) {
                unknownOutbound.incrementAndGet();
            } else if (customer.outbound.incrementAndGet() > 1) {
                duplicates.incrementAndGet();
            } else {
                (expected ? answersDelivered : fallbacks).incrementAndGet();
                customer.first.complete(new Reply(arrived, expected));
            }
            respond(exchange, 201, "{\"sid\":\"" + sid + "\",\"status\":\"queued\"}");
        }
    }

    /** Twilio's message list for {@code To} (newest first), as {@code GET /2010-04-01/Accounts/{sid}/Messages.json} answers. */
    private void listMessages(HttpExchange exchange) throws IOException {
        lookups.incrementAndGet();
        Map<String, String> query = parseForm(exchange.getRequestURI().getRawQuery() == null ? "" : exchange.getRequestURI().getRawQuery());
        List<Sent> sent = new ArrayList<>(accepted.getOrDefault(query.getOrDefault("To", ""), List.of()));
        Collections.reverse(sent);
        StringBuilder json = new StringBuilder("{\"messages\":[");
        for (int i = 0; i < sent.size(); i++) {
            Sent m = sent.get(i);
            json.append(i == 0 ? "" : ",").append("""
                    {"sid":"%s","to":"%s","from":"%s","body":"%s","direction":"outbound-api","status":"sent","date_created":"%s"}"""
                    .formatted(m.sid(), m.to(), m.from(), m.body().replace("\\", "\\\\").replace("\"", "\\\""),
                            DateTimeFormatter.RFC_1123_DATE_TIME.format(m.created())));
        }
        json.append("],\"next_page_uri\":null,\"page\":0,\"page_size\":100}");
        respond(exchange, 200, json.toString());
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
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
