package io.switchboard.ai.turn;

import io.switchboard.ai.llm.LlmEndpoint;
import io.switchboard.ai.llm.LlmProperties;
import io.switchboard.ai.llm.LlmUsage;
import io.switchboard.ai.llm.PriceTable;
import io.switchboard.conversation.Message;
import io.switchboard.media.MediaFile;
import io.switchboard.media.MediaFiles;
import io.switchboard.media.MediaProperties;
import io.switchboard.outbound.OutboundHttp;
import io.switchboard.outbound.OutboundResponse;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the AI makes of the customer's files before it answers: a voice note is transcribed through the
 * OpenAI-compatible {@code /audio/transcriptions} endpoint, an image described by the agent's own model when it
 * accepts images. Each is done once (stored with the file) and its cost goes into the turn's books like any
 * call. A file it cannot open is named as such, so the model tells the customer rather than guess.
 */
@Component
class MediaUnderstanding {

    private static final Logger log = LoggerFactory.getLogger(MediaUnderstanding.class);
    /** How long a turn waits for a file still downloading (the download is a job of its own). */
    private static final Duration DOWNLOAD_WAIT = Duration.ofSeconds(15);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

    private final MediaFiles files;
    private final MediaProperties properties;
    private final OutboundHttp http;
    private final PriceTable prices;
    private final JsonMapper json;
    private final Clock clock;

    MediaUnderstanding(MediaFiles files, MediaProperties properties, OutboundHttp http, LlmProperties llm, JsonMapper json, Clock clock) {
        this.files = files;
        this.properties = properties;
        this.http = http;
        this.prices = llm.priceTable();
        this.json = json;
        this.clock = clock;
    }

    /**
     * What the prompt says of the history's messages with files.
     *
     * @param contents   the text to put in place of each such message's content
     * @param unreadable the kinds of the customer's pending files the AI could not open (empty when none)
     */
    record Understood(Map<UUID, String> contents, List<String> unreadable) {
        static final Understood NOTHING = new Understood(Map.of(), List.of());

        /** The customer's pending messages as one text, a voice note by its transcript (what knowledge is searched with). */
        String customerText(TurnContext context) {
            return context.pending().stream().map(m -> contents.getOrDefault(m.id(), m.content() == null ? "" : m.content()))
                    .collect(Collectors.joining("\n"));
        }
    }

    Understood understand(TurnContext context, TurnLedger ledger) {
        List<Message> withFiles = context.history().stream()
                .filter(m -> m.fromCustomer() && m.contentType() != null && !"text".equals(m.contentType())
                        && m.media() != null && !m.media().equals("[]"))
                .toList();
        if (withFiles.isEmpty()) {
            return Understood.NOTHING;
        }
        Set<UUID> pending = context.pendingIds();
        List<MediaFile> found = awaitDownloads(withFiles.stream().map(Message::id).toList(), pending);
        Map<UUID, String> contents = new LinkedHashMap<>();
        List<String> unreadable = new ArrayList<>();
        for (Message message : withFiles) {
            List<String> parts = new ArrayList<>();
            if (message.content() != null && !message.content().isBlank() && !message.content().startsWith("[")) {
                parts.add(message.content()); // the caption
            }
            for (MediaFile file : found.stream().filter(f -> message.id().equals(f.messageId())).toList()) {
                Optional<String> understood = Optional.ofNullable(file.understanding())
                        .or(() -> pending.contains(message.id()) ? makeSenseOf(file, context, ledger) : Optional.empty());
                if (understood.isPresent()) {
                    parts.add(("transcript".equals(file.understandingKind()) || "audio".equals(file.kind())
                            ? "[áudio transcrito] " : "[imagem enviada pelo cliente: ") + understood.get()
                            + ("audio".equals(file.kind()) ? "" : "]"));
                } else {
                    parts.add("[o cliente enviou um arquivo (" + file.kind() + (file.filename() == null ? "" : ": " + file.filename())
                            + ") que você não consegue abrir]");
                    if (pending.contains(message.id())) {
                        unreadable.add(file.kind());
                    }
                }
            }
            if (!parts.isEmpty()) {
                contents.put(message.id(), String.join("\n", parts));
            }
        }
        return new Understood(contents, unreadable);
    }

    /** The files of these messages, waiting (briefly) for those of the pending messages still downloading. */
    private List<MediaFile> awaitDownloads(List<UUID> messageIds, Set<UUID> pending) {
        Instant deadline = clock.instant().plus(DOWNLOAD_WAIT);
        while (true) {
            List<MediaFile> found = files.ofMessages(messageIds);
            boolean waiting = found.stream().anyMatch(f -> f.pending() && pending.contains(f.messageId()));
            if (!waiting || clock.instant().isAfter(deadline)) {
                return found;
            }
            try {
                Thread.sleep(250); // a turn runs on a virtual thread: waiting here holds no scarce thread
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return found;
            }
        }
    }

    private Optional<String> makeSenseOf(MediaFile file, TurnContext context, TurnLedger ledger) {
        if (!file.ready() || context.endpoint().isEmpty()) {
            return Optional.empty();
        }
        try {
            if (file.audio()) {
                return transcribe(file, context.endpoint().get(), ledger);
            }
            if (file.image() && properties.seesImages(context.agent().model())) {
                return describe(file, context.endpoint().get(), context.agent().model(), ledger);
            }
        } catch (RuntimeException e) { // OutboundFailure (refused address, timeout) or an unreadable answer
            log.info("Could not make sense of media file {}: {}", file.id(), e.getMessage());
        }
        return Optional.empty();
    }

    private Optional<String> transcribe(MediaFile file, LlmEndpoint endpoint, TurnLedger ledger) {
        String boundary = "----switchboard" + UUID.randomUUID().toString().replace("-", "");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        field(body, boundary, "model", properties.transcriptionModel());
        field(body, boundary, "response_format", "json");
        String name = file.nameWithExtension();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name.replace("\"", "")
                + "\"\r\nContent-Type: " + (file.contentType() == null ? "application/octet-stream" : file.contentType()) + "\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(files.content(file.id()));
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint.baseUrl() + "/audio/transcriptions"))
                .header("Authorization", "Bearer " + endpoint.apiKey())
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        OutboundResponse response = http.send(request, CALL_TIMEOUT);
        String model = properties.transcriptionModel();
        if (!response.successful()) {
            ledger.call(new TurnLedger.Call(model, null, response.duration(), Optional.empty(), "failed", "http_" + response.status()));
            log.info("Transcription of media file {} failed: HTTP {} {}", file.id(), response.status(), excerpt(response.text()));
            return Optional.empty();
        }
        JsonNode answer = json.readTree(response.text());
        String text = answer.path("text").asString("").strip();
        JsonNode usage = answer.path("usage");
        LlmUsage tokens = new LlmUsage(usage.path("input_tokens").asInt(0), usage.path("output_tokens").asInt(0), 0);
        // whisper is billed by the minute, token-priced models (gpt-4o-transcribe) by the token
        Optional<BigDecimal> cost = "duration".equals(usage.path("type").asString(""))
                ? Optional.of(BigDecimal.valueOf(usage.path("seconds").asDouble(0) / 60.0 * properties.transcriptionPricePerMinute())
                .setScale(6, RoundingMode.HALF_UP))
                : prices.cost(model, tokens);
        ledger.call(new TurnLedger.Call(model, tokens, response.duration(), cost, "ok", null));
        if (text.isEmpty()) {
            return Optional.empty();
        }
        files.recordUnderstanding(file.id(), "transcript", text);
        ledger.message(Map.of("role", "system", "content", "voice note transcribed: " + text, "at", clock.instant().toString()));
        return Optional.of(text);
    }

    private Optional<String> describe(MediaFile file, LlmEndpoint endpoint, String model, TurnLedger ledger) {
        ObjectNode request = json.createObjectNode().put("model", model).put("max_tokens", 300);
        ObjectNode user = request.putArray("messages").addObject().put("role", "user");
        var content = user.putArray("content");
        content.addObject().put("type", "text").put("text", "Descreva objetivamente esta imagem enviada por um cliente, em poucas frases, "
                + "incluindo qualquer texto legível (números de pedido, valores, mensagens de erro).");
        content.addObject().put("type", "image_url").putObject("image_url").put("url",
                "data:" + file.contentType() + ";base64," + Base64.getEncoder().encodeToString(files.content(file.id())));
        OutboundResponse response = http.send(HttpRequest.newBuilder(URI.create(endpoint.baseUrl() + "/chat/completions"))
                .header("Authorization", "Bearer " + endpoint.apiKey()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request.toString())).build(), CALL_TIMEOUT);
        if (!response.successful()) {
            ledger.call(new TurnLedger.Call(model, null, response.duration(), Optional.empty(), "failed", "http_" + response.status()));
            return Optional.empty();
        }
        JsonNode answer = json.readTree(response.text());
        String text = answer.path("choices").path(0).path("message").path("content").asString("").strip();
        JsonNode usage = answer.path("usage");
        LlmUsage tokens = new LlmUsage(usage.path("prompt_tokens").asInt(0), usage.path("completion_tokens").asInt(0),
                usage.path("prompt_tokens_details").path("cached_tokens").asInt(0));
        ledger.call(new TurnLedger.Call(model, tokens, response.duration(), prices.cost(model, tokens), "ok", null));
        if (text.isEmpty()) {
            return Optional.empty();
        }
        files.recordUnderstanding(file.id(), "description", text);
        return Optional.of(text);
    }

    private static void field(ByteArrayOutputStream body, String boundary, String name, String value) {
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    private static String excerpt(String text) {
        return text == null ? "" : text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }

    /** The kinds named for a system note, e.g. 'audio, image'. */
    static String kinds(List<String> unreadable) {
        return unreadable.stream().distinct().collect(Collectors.joining(", "));
    }
}
