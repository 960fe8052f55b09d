package io.switchboard.channel;

import io.switchboard.contact.Contacts;
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.InboundMessage;
import io.switchboard.conversation.Inbox;
import io.switchboard.conversation.Message;
import io.switchboard.conversation.MessageStatus;
import io.switchboard.database.ClusterRateLimits;
import io.switchboard.database.TenantScope;
import io.switchboard.refusal.RateLimited;
import jakarta.servlet.http.HttpServletRequest;
import io.switchboard.identity.SecretBox;
import io.switchboard.media.MediaFile;
import io.switchboard.media.MediaFiles;
import io.switchboard.media.MediaProperties;
import io.switchboard.media.MediaRefused;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.multipart.MultipartFile;
import tools.jackson.databind.json.JsonMapper;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * What the embeddable widget talks to. A visitor gets a signed session token (kept in the browser) naming
 * their identity on the account, so reloading the page finds the same conversation; messages go in as
 * inbound messages like any channel's (a file too, through {@code /attachments}), and replies come back over
 * Server-Sent Events.
 */
@RestController
@RequestMapping("/webchat/{accountId}")
class WebchatApi {

    private final ChannelAccounts accounts;
    private final Contacts contacts;
    private final Conversations conversations;
    private final Inbox inbox;
    private final WebchatPush push;
    private final SecretBox secrets;
    private final ClusterRateLimits limits;
    private final ClusterRateLimits.Limit sessionsPerAddress;
    private final ClusterRateLimits.Limit messagesPerVisitor;
    private final ClusterRateLimits.Limit messagesPerAddress;
    private final ClusterRateLimits.Limit uploadsPerVisitor;
    private final ClusterRateLimits.Limit uploadsPerAddress;
    private final io.switchboard.conversation.InboxWork work;
    private final io.switchboard.identity.Users users;
    private final MediaFiles files;
    private final MediaProperties media;
    private final TransactionTemplate transaction;
    private final JsonMapper json;

    WebchatApi(ChannelAccounts accounts, Contacts contacts, Conversations conversations, Inbox inbox, WebchatPush push,
               SecretBox secrets, ClusterRateLimits limits, io.switchboard.conversation.InboxWork work,
               io.switchboard.identity.Users users, MediaFiles files, MediaProperties media, TransactionTemplate transaction,
               JsonMapper json) {
        this.limits = limits;
        this.files = files;
        this.media = media;
        this.transaction = transaction;
        this.json = json;
        // anyone on the internet can open a session: each new one is a contact and a conversation in the inbox
        this.sessionsPerAddress = limits.limit("webchat-sessions-per-ip", "20/10m");
        this.messagesPerVisitor = limits.limit("webchat-messages-per-visitor", "30/1m");
        this.messagesPerAddress = limits.limit("webchat-messages-per-ip", "120/1m");
        // a file is up to switchboard.media.max-size of storage: fewer of them than of texts
        this.uploadsPerVisitor = limits.limit("webchat-uploads-per-visitor", "10/10m");
        this.uploadsPerAddress = limits.limit("webchat-uploads-per-ip", "30/10m");
        this.work = work;
        this.users = users;
        this.accounts = accounts;
        this.contacts = contacts;
        this.conversations = conversations;
        this.inbox = inbox;
        this.push = push;
        this.secrets = secrets;
    }

    /** {@code language}: the visitor's browser language (e.g. {@code en-US}), so automatic texts speak it. */
    record SessionRequest(@Size(max = 500) String token, @Size(max = 200) String name, @Size(max = 35) String language) {
    }

    /** {@code senderName}: the person who wrote it (null for the customer, the AI and the system). */
    record WidgetMessage(UUID id, String senderType, String senderName, String content, String status, Instant createdAt,
                         List<Map<String, String>> media) {
    }

    /** {@code maxUploadBytes}: the largest file the visitor may send, so the widget says so before sending. */
    record Session(String token, UUID conversationId, String title, List<WidgetMessage> messages, long maxUploadBytes) {
        Session withToken(String value) {
            return new Session(value, conversationId, title, messages, maxUploadBytes);
        }
    }

    /** Starts or resumes the visitor's session; an invalid or foreign token simply starts a new one. */
    @PostMapping("/sessions")
    Session session(@PathVariable UUID accountId, @Valid @RequestBody(required = false) SessionRequest request,
                    HttpServletRequest http) {
        ChannelAccount account = account(accountId);
        String visitor = request == null ? null : visitorOf(account, request.token());
        String token = request == null ? null : request.token();
        if (visitor == null) {
            allow(limits.consume(sessionsPerAddress, http.getRemoteAddr()), "Too many new chat sessions from this address");
            visitor = "visitor-" + UUID.randomUUID();
            token = tokenFor(account, visitor);
        }
        String visitorId = visitor;
        String name = request == null || request.name() == null ? null : request.name().replace("\0", "");
        return TenantScope.call(account.organizationId(), () -> {
            var contact = contacts.findOrCreateByIdentity(account.organizationId(), account.id(), visitorId, name, null);
            Conversation conversation = conversations.openFor(account.organizationId(), contact, account.origin());
            if (request != null) {
                work.rememberLanguage(conversation.id(), request.language());
            }
            return new Session(null, conversation.id(), account.configValue("title"), visible(conversation.id()),
                    media.maxSize().toBytes());
        }).withToken(token);
    }

    record PostedText(@NotBlank @Size(max = 4000) String text, @Size(max = 100) String clientId) {
    }

    @PostMapping("/messages")
    WidgetMessage send(@PathVariable UUID accountId, @RequestHeader("X-Webchat-Token") String token,
                       @Valid @RequestBody PostedText body, HttpServletRequest http) {
        ChannelAccount account = account(accountId);
        String visitor = requireVisitor(account, token);
        allow(limits.consume(messagesPerAddress, http.getRemoteAddr()), "Too many chat messages from this address");
        allow(limits.consume(messagesPerVisitor, account.id() + ":" + visitor), "Too many chat messages in a short time");
        return TenantScope.call(account.organizationId(), () -> {
            // the widget's own id for the message makes a re-sent request harmless
            String providerId = body.clientId() == null ? null : "webchat-" + visitor + "-" + body.clientId();
            var ingested = conversations.ingest(new InboundMessage(account.organizationId(), account.origin(), visitor, null,
                    null, providerId, body.text().strip(), "text", null, null, Instant.now()));
            return widget(ingested.message());
        });
    }

    /**
     * The visitor sends a file (multipart {@code file}, optional {@code caption} and {@code client_id}): checked
     * against {@code switchboard.media.max-size} and {@code allowed-types} (the type read from the bytes when they
     * say it, a program refused whatever it is called), stored, and taken in as the visitor's message carrying it —
     * the same ingest as a text, so the AI answers it (an image described, as from any channel) and the inbox shows
     * it. The same {@code client_id} again returns the first message and stores nothing.
     */
    @PostMapping(path = "/attachments", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    WidgetMessage attach(@PathVariable UUID accountId, @RequestHeader("X-Webchat-Token") String token,
                         @RequestParam("file") MultipartFile file, @RequestParam(name = "caption", required = false) String caption,
                         @RequestParam(name = "client_id", required = false) String clientId, HttpServletRequest http)
            throws java.io.IOException {
        ChannelAccount account = account(accountId);
        String visitor = requireVisitor(account, token);
        allow(limits.consume(messagesPerAddress, http.getRemoteAddr()), "Too many chat messages from this address");
        allow(limits.consume(uploadsPerAddress, http.getRemoteAddr()), "Too many files from this address");
        allow(limits.consume(uploadsPerVisitor, account.id() + ":" + visitor), "Too many files in a short time");
        if (caption != null && caption.length() > 4000) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "the caption is longer than 4000 characters");
        }
        if (clientId != null && clientId.length() > 100) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "client_id is longer than 100 characters");
        }
        if (file.getSize() > media.maxSize().toBytes()) {
            throw new MediaRefused(MediaRefused.Reason.TOO_LARGE, "The file is " + megabytes(file.getSize()) + " MB; the limit is "
                    + megabytes(media.maxSize().toBytes()) + " MB (switchboard.media.max-size).");
        }
        byte[] bytes = file.getBytes();
        if (bytes.length == 0) {
            throw new MediaRefused(MediaRefused.Reason.EMPTY, "The file is empty.");
        }
        String filename = file.getOriginalFilename();
        String type = files.typeOf(filename, file.getContentType(), bytes);
        String text = caption == null || caption.isBlank() ? null : caption.strip();
        String providerId = clientId == null || clientId.isBlank() ? null : "webchat-" + visitor + "-" + clientId;
        return TenantScope.call(account.organizationId(), () -> transaction.execute(status -> {
            if (providerId != null) {
                var known = conversations.messageByProviderId(account.id(), providerId);
                if (known.isPresent()) {
                    return widget(known.get()); // a re-sent request: the file is already there
                }
            }
            var contact = contacts.findOrCreateByIdentity(account.organizationId(), account.id(), visitor, null, null);
            Conversation conversation = conversations.openFor(account.organizationId(), contact, account.origin());
            MediaFile stored = files.upload(account.organizationId(), conversation.id(), filename, type, bytes);
            Map<String, Object> item = new java.util.LinkedHashMap<>();
            item.put("media_id", stored.id().toString());
            item.put("content_type", stored.contentType());
            item.put("filename", stored.filename());
            String kind = stored.kind();
            // as other channels keep a file without words: '[image]', '[document: boleto.pdf]'
            String content = text != null ? text : "[" + kind + (stored.filename() == null ? "" : ": " + stored.filename()) + "]";
            var ingested = conversations.ingest(new InboundMessage(account.organizationId(), account.origin(), visitor, null, null,
                    providerId, content, kind, json.writeValueAsString(List.of(item)), null, Instant.now()));
            if (ingested.duplicate()) {
                status.setRollbackOnly(); // the same client_id won a concurrent request: this copy of the file is not kept
                return widget(ingested.message());
            }
            if (files.ofMessage(ingested.message().id()).stream().noneMatch(f -> f.id().equals(stored.id()))) {
                // the conversation changed under us (closed and reopened): nothing half-done, the widget sends again
                throw new IllegalStateException("the visitor's file " + stored.id() + " was not bound to its message");
            }
            return widget(ingested.message());
        }));
    }

    private static String megabytes(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f", bytes / (1024.0 * 1024));
    }

    /** A file not taken: 413 too large, 415 a type not accepted, 400 empty, saying what is allowed. */
    @ExceptionHandler(MediaRefused.class)
    ResponseEntity<ProblemDetail> refused(MediaRefused refused) {
        HttpStatus status = HttpStatus.valueOf(refused.httpStatus());
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, refused.getMessage());
        problem.setTitle("File not accepted");
        problem.setProperty("max_size_bytes", media.maxSize().toBytes());
        problem.setProperty("accepted_types", media.allowedTypes());
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    @GetMapping("/messages")
    List<WidgetMessage> messages(@PathVariable UUID accountId, @RequestHeader("X-Webchat-Token") String token) {
        ChannelAccount account = account(accountId);
        String visitor = requireVisitor(account, token);
        return TenantScope.call(account.organizationId(), () -> {
            var contact = contacts.findOrCreateByIdentity(account.organizationId(), account.id(), visitor, null, null);
            return visible(conversations.openFor(account.organizationId(), contact, account.origin()).id());
        });
    }

    /** The live stream of replies (EventSource cannot send headers, so the token comes in the query). */
    @GetMapping(path = "/stream", produces = "text/event-stream")
    SseEmitter stream(@PathVariable UUID accountId, @RequestParam String token) {
        ChannelAccount account = account(accountId);
        String visitor = requireVisitor(account, token);
        UUID conversationId = TenantScope.call(account.organizationId(), () -> {
            var contact = contacts.findOrCreateByIdentity(account.organizationId(), account.id(), visitor, null, null);
            return conversations.openFor(account.organizationId(), contact, account.origin()).id();
        });
        SseEmitter emitter = push.open(conversationId);
        try {
            emitter.send(SseEmitter.event().name("ready").data(Map.of("conversation_id", conversationId.toString())));
        } catch (java.io.IOException e) {
            emitter.completeWithError(e);
        }
        return emitter;
    }

    private List<WidgetMessage> visible(UUID conversationId) {
        return inbox.messages(conversationId).stream()
                .filter(m -> !m.privateNote() && m.status() != MessageStatus.DISCARDED && m.status() != MessageStatus.SCHEDULED)
                .map(this::widget).toList();
    }

    private WidgetMessage widget(Message m) {
        String name = m.senderType() == io.switchboard.conversation.SenderType.AGENT && m.senderId() != null
                ? users.find(m.senderId()).map(io.switchboard.identity.User::name).orElse(null) : null;
        List<Map<String, String>> files = push.media(m);
        // the visitor's file without words shows as the file, not as its '[image]' summary
        String content = !files.isEmpty() && m.content() != null && m.content().matches("\\[(image|audio|video|document|sticker)(: .*)?]")
                ? null : m.content();
        return new WidgetMessage(m.id(), m.senderType().db(), name, content, m.status().db(), m.createdAt(), files);
    }

    private static void allow(ClusterRateLimits.Verdict verdict, String what) {
        if (!verdict.allowed()) {
            throw new RateLimited(what + "; wait " + verdict.retryAfterSeconds() + " s and try again.", verdict.retryAfter());
        }
    }

    private ChannelAccount account(UUID accountId) {
        return accounts.findForWebhook(accountId).filter(a -> a.type() == ChannelType.WEBCHAT && a.enabled())
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no enabled web chat " + accountId));
    }

    private String tokenFor(ChannelAccount account, String visitor) {
        String payload = account.id() + "." + visitor;
        return payload + "." + secrets.sign(payload);
    }

    private String visitorOf(ChannelAccount account, String token) {
        if (token == null) {
            return null;
        }
        int last = token.lastIndexOf('.');
        int first = token.indexOf('.');
        if (first < 0 || last <= first) {
            return null;
        }
        String payload = token.substring(0, last);
        if (!payload.startsWith(account.id() + ".") || !secrets.verify(payload, token.substring(last + 1))) {
            return null;
        }
        return payload.substring(first + 1);
    }

    private String requireVisitor(ChannelAccount account, String token) {
        String visitor = visitorOf(account, token);
        if (visitor == null) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "the web chat session token is missing or invalid; start a session first");
        }
        return visitor;
    }
}
