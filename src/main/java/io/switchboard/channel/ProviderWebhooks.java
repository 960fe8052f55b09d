package io.switchboard.channel;

import io.switchboard.channel.provider.EvolutionWebhookParser;
import io.switchboard.channel.provider.MalformedPayloadException;
import io.switchboard.channel.provider.MetaMessagingWebhookParser;
import io.switchboard.channel.provider.MetaSignature;
import io.switchboard.channel.provider.TelegramWebhookParser;
import io.switchboard.channel.provider.MetaWebhookParser;
import io.switchboard.channel.provider.ParsedWebhook;
import io.switchboard.channel.provider.TwilioSignature;
import io.switchboard.channel.provider.TwilioWebhookParser;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The providers' webhooks, one path per channel account. Each request is verified on its raw form exactly
 * as the provider signed it (403 and nothing stored otherwise), stored in one transaction, and acknowledged
 * at once: no LLM or outbound call ever runs here.
 */
@RestController
@RequestMapping("/webhooks")
class ProviderWebhooks {

    private static final Logger log = LoggerFactory.getLogger(ProviderWebhooks.class);
    private static final String TWIML_EMPTY = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";

    private final ChannelAccounts accounts;
    private final InboundIntake intake;
    private final WebhookUrls urls;
    private final TwilioWebhookParser twilio = new TwilioWebhookParser();
    private final MetaWebhookParser meta;
    private final EvolutionWebhookParser evolution;
    private final MetaMessagingWebhookParser metaMessaging;
    private final TelegramWebhookParser telegram;
    private final EvolutionConnections evolutionConnections;

    ProviderWebhooks(ChannelAccounts accounts, InboundIntake intake, WebhookUrls urls, JsonMapper json,
                     EvolutionConnections evolutionConnections) {
        this.metaMessaging = new MetaMessagingWebhookParser(json);
        this.telegram = new TelegramWebhookParser(json);
        this.evolutionConnections = evolutionConnections;
        this.accounts = accounts;
        this.intake = intake;
        this.urls = urls;
        this.meta = new MetaWebhookParser(json);
        this.evolution = new EvolutionWebhookParser(json);
    }

    @PostMapping(path = "/twilio/{accountId}", produces = MediaType.TEXT_XML_VALUE)
    ResponseEntity<String> twilioMessage(@PathVariable UUID accountId, HttpServletRequest request,
                                         @RequestHeader(name = "X-Twilio-Signature", required = false) String signature) {
        ChannelAccount account = account(accountId, ChannelType.TWILIO);
        Map<String, String> form = verifiedTwilioForm(account, request, signature);
        intake.accept(account, malformedAs400(() -> twilio.parseMessage(form)));
        return twiml();
    }

    @PostMapping(path = "/twilio/{accountId}/status", produces = MediaType.TEXT_XML_VALUE)
    ResponseEntity<String> twilioStatus(@PathVariable UUID accountId, HttpServletRequest request,
                                        @RequestHeader(name = "X-Twilio-Signature", required = false) String signature) {
        ChannelAccount account = account(accountId, ChannelType.TWILIO);
        Map<String, String> form = verifiedTwilioForm(account, request, signature);
        malformedAs400(() -> twilio.parseStatus(form)).ifPresent(status -> intake.apply(account, status));
        return twiml();
    }

    /** Meta's subscription handshake: echo the challenge when the verify token matches. */
    @GetMapping(path = "/meta/{accountId}", produces = MediaType.TEXT_PLAIN_VALUE)
    ResponseEntity<String> metaVerify(@PathVariable UUID accountId,
                                      @RequestParam(name = "hub.mode", required = false) String mode,
                                      @RequestParam(name = "hub.verify_token", required = false) String token,
                                      @RequestParam(name = "hub.challenge", required = false) String challenge) {
        return verifyChallenge(account(accountId, ChannelType.META_CLOUD), mode, token, challenge);
    }

    private ResponseEntity<String> verifyChallenge(ChannelAccount account, String mode, String token, String challenge) {
        String expected = accounts.secrets(account).get("verify_token");
        if ("subscribe".equals(mode) && token != null && expected != null && constantTimeEquals(expected, token) && challenge != null) {
            return ResponseEntity.ok(challenge);
        }
        throw new ResponseStatusException(HttpStatus.FORBIDDEN, "hub.verify_token does not match this account's verify_token");
    }

    @PostMapping("/meta/{accountId}")
    ResponseEntity<Void> metaEvent(@PathVariable UUID accountId, @RequestBody(required = false) byte[] body,
                                   @RequestHeader(name = "X-Hub-Signature-256", required = false) String signature) {
        ChannelAccount account = account(accountId, ChannelType.META_CLOUD);
        byte[] raw = body == null ? new byte[0] : body;
        if (!MetaSignature.isValid(raw, signature, accounts.secrets(account).get("app_secret"))) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "X-Hub-Signature-256 is missing or does not match the body");
        }
        String ourNumber = account.configValue("phone_number_id");
        ParsedWebhook parsed = malformedAs400(() -> meta.parse(raw, phoneNumberId -> {
            boolean ours = ourNumber != null && ourNumber.strip().equals(phoneNumberId);
            if (!ours) {
                // the same Meta app serves other numbers: acknowledge, but their customers are not ours
                log.debug("Ignored a Meta webhook change for phone_number_id {} on account {} (configured: {})",
                        phoneNumberId, account.id(), ourNumber);
            }
            return ours;
        }));
        intake.accept(account, parsed);
        return ResponseEntity.ok().build();
    }

    /** Evolution API signs nothing: the account's webhook secret must come in the URL or a header. */
    @PostMapping("/evolution/{accountId}")
    ResponseEntity<Void> evolutionEvent(@PathVariable UUID accountId, @RequestBody(required = false) byte[] body,
                                        @RequestParam(name = "secret", required = false) String secretParam,
                                        @RequestHeader(name = "X-Webhook-Secret", required = false) String secretHeader) {
        ChannelAccount account = account(accountId, ChannelType.EVOLUTION);
        String expected = accounts.secrets(account).get("webhook_secret");
        String given = secretParam != null ? secretParam : secretHeader;
        if (expected == null || given == null || !constantTimeEquals(expected, given)) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "the webhook secret is missing or wrong");
        }
        ParsedWebhook parsed = malformedAs400(() -> evolution.parse(body == null ? new byte[0] : body));
        intake.accept(account, parsed);
        evolutionConnections.onWebhook(account, body == null ? new byte[0] : body);
        return ResponseEntity.ok().build();
    }

    @GetMapping(path = "/instagram/{accountId}", produces = MediaType.TEXT_PLAIN_VALUE)
    ResponseEntity<String> instagramVerify(@PathVariable UUID accountId,
                                           @RequestParam(name = "hub.mode", required = false) String mode,
                                           @RequestParam(name = "hub.verify_token", required = false) String token,
                                           @RequestParam(name = "hub.challenge", required = false) String challenge) {
        return verifyChallenge(account(accountId, ChannelType.INSTAGRAM), mode, token, challenge);
    }

    @GetMapping(path = "/messenger/{accountId}", produces = MediaType.TEXT_PLAIN_VALUE)
    ResponseEntity<String> messengerVerify(@PathVariable UUID accountId,
                                           @RequestParam(name = "hub.mode", required = false) String mode,
                                           @RequestParam(name = "hub.verify_token", required = false) String token,
                                           @RequestParam(name = "hub.challenge", required = false) String challenge) {
        return verifyChallenge(account(accountId, ChannelType.MESSENGER), mode, token, challenge);
    }

    @PostMapping("/instagram/{accountId}")
    ResponseEntity<Void> instagramEvent(@PathVariable UUID accountId, @RequestBody(required = false) byte[] body,
                                        @RequestHeader(name = "X-Hub-Signature-256", required = false) String signature) {
        return metaMessagingEvent(account(accountId, ChannelType.INSTAGRAM), "instagram", "instagram_account_id", body, signature);
    }

    @PostMapping("/messenger/{accountId}")
    ResponseEntity<Void> messengerEvent(@PathVariable UUID accountId, @RequestBody(required = false) byte[] body,
                                        @RequestHeader(name = "X-Hub-Signature-256", required = false) String signature) {
        return metaMessagingEvent(account(accountId, ChannelType.MESSENGER), "page", "page_id", body, signature);
    }

    /** Instagram and Messenger: signed like WhatsApp Cloud, entries of other accounts of the same app skipped. */
    private ResponseEntity<Void> metaMessagingEvent(ChannelAccount account, String object, String idKey, byte[] body, String signature) {
        byte[] raw = body == null ? new byte[0] : body;
        if (!MetaSignature.isValid(raw, signature, accounts.secrets(account).get("app_secret"))) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "X-Hub-Signature-256 is missing or does not match the body");
        }
        String ours = account.configValue(idKey);
        intake.accept(account, malformedAs400(() -> metaMessaging.parse(raw, object,
                entryId -> ours != null && ours.strip().equals(entryId))));
        return ResponseEntity.ok().build();
    }

    /** Telegram signs nothing: the secret given to setWebhook comes back in X-Telegram-Bot-Api-Secret-Token. */
    @PostMapping("/telegram/{accountId}")
    ResponseEntity<Void> telegramUpdate(@PathVariable UUID accountId, @RequestBody(required = false) byte[] body,
                                        @RequestHeader(name = "X-Telegram-Bot-Api-Secret-Token", required = false) String secret) {
        ChannelAccount account = account(accountId, ChannelType.TELEGRAM);
        String expected = accounts.secrets(account).get("webhook_secret");
        if (expected == null || secret == null || !constantTimeEquals(expected, secret)) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "X-Telegram-Bot-Api-Secret-Token is missing or wrong");
        }
        intake.accept(account, malformedAs400(() -> telegram.parse(body == null ? new byte[0] : body)));
        return ResponseEntity.ok().build();
    }

    private ChannelAccount account(UUID id, ChannelType type) {
        return accounts.findForWebhook(id).filter(a -> a.type() == type && a.enabled())
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                        "no enabled " + type.code() + " channel account " + id));
    }

    private Map<String, String> verifiedTwilioForm(ChannelAccount account, HttpServletRequest request, String signature) {
        Map<String, String> form = new TreeMap<>();
        request.getParameterMap().forEach((name, values) -> form.put(name, values.length == 0 ? "" : values[0]));
        // query parameters are part of the signed URL, not of the signed body parameters
        if (request.getQueryString() != null) {
            org.springframework.web.util.UriComponentsBuilder.newInstance().query(request.getQueryString()).build()
                    .getQueryParams().keySet().forEach(form::remove);
        }
        String url = urls.requestUrl(request);
        if (!TwilioSignature.isValid(url, form, signature, accounts.secrets(account).get("auth_token"))) {
            log.info("Rejected a Twilio webhook for account {}: signature does not match {}", account.id(), url);
            throw new ResponseStatusException(HttpStatus.FORBIDDEN,
                    "X-Twilio-Signature is missing or does not match (check SWITCHBOARD_PUBLIC_URL behind a proxy)");
        }
        return form;
    }

    private static <T> T malformedAs400(java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (MalformedPayloadException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
    }

    private static ResponseEntity<String> twiml() {
        return ResponseEntity.ok().contentType(MediaType.TEXT_XML).body(TWIML_EMPTY);
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
