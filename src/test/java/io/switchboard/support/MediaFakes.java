package io.switchboard.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The providers' media, as each serves it: Twilio's media URL (Basic auth, then a redirect to its CDN), Meta's
 * media id lookup and download (Bearer token), Evolution's getBase64FromMediaMessage — and the webhooks that carry
 * them, in the providers' real formats.
 */
public final class MediaFakes {

    /** The smallest real files of each kind the tests send: a 1×1 PNG, a few bytes of Ogg/Opus, a PDF. */
    public static final byte[] PNG = Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
    public static final byte[] OGG = "OggS\0\2fake-opus-voice-note".getBytes(StandardCharsets.ISO_8859_1);
    public static final byte[] PDF = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".getBytes(StandardCharsets.ISO_8859_1);

    private MediaFakes() {
    }

    /** Twilio's media URL path of one media file of one message. */
    public static String twilioMediaPath(String accountSid, String messageSid, String mediaSid) {
        return "/2010-04-01/Accounts/" + accountSid + "/Messages/" + messageSid + "/Media/" + mediaSid;
    }

    /** Twilio serves the file to the account's Basic auth with a 307 to its CDN, which needs no auth. */
    public static void twilioServes(WireMockServer fake, String accountSid, String messageSid, String mediaSid, String contentType, byte[] bytes) {
        String basic = "Basic " + Base64.getEncoder().encodeToString((accountSid + ":" + Channels.TWILIO_TOKEN).getBytes(StandardCharsets.UTF_8));
        String cdn = "/twilio-cdn/" + mediaSid;
        fake.stubFor(get(urlEqualTo(twilioMediaPath(accountSid, messageSid, mediaSid))).withHeader("Authorization", equalTo(basic))
                .willReturn(aResponse().withStatus(307).withHeader("Location", ProviderFakes.baseUrl() + cdn)));
        fake.stubFor(get(urlEqualTo(cdn)).willReturn(aResponse().withStatus(200).withHeader("Content-Type", contentType).withBody(bytes)));
    }

    /** Requests that reached Twilio's media URL (what a duplicate download would show). */
    public static int twilioDownloads(WireMockServer fake, String accountSid, String messageSid, String mediaSid) {
        return fake.findAll(getRequestedFor(urlEqualTo(twilioMediaPath(accountSid, messageSid, mediaSid)))).size();
    }

    /** A signed Twilio WhatsApp webhook with one media file (and an optional caption). */
    public static ApiClient.Response twilioMedia(Channels channels, UUID accountId, String accountSid, String messageSid, String from,
                                                 String mediaSid, String contentType, String caption) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("MessageSid", messageSid);
        params.put("SmsMessageSid", messageSid);
        params.put("AccountSid", accountSid);
        params.put("From", "whatsapp:" + from);
        params.put("To", "whatsapp:+14155238886");
        params.put("Body", caption == null ? "" : caption);
        params.put("NumMedia", "1");
        params.put("MediaUrl0", ProviderFakes.baseUrl() + twilioMediaPath(accountSid, messageSid, mediaSid));
        params.put("MediaContentType0", contentType);
        params.put("MessageType", contentType.startsWith("audio") ? "audio" : "image");
        params.put("ProfileName", "Maria Silva");
        params.put("WaId", from.replace("+", ""));
        params.put("SmsStatus", "received");
        params.put("ApiVersion", "2010-04-01");
        return channels.twilioPost("/webhooks/twilio/" + accountId, params, Channels.TWILIO_TOKEN);
    }

    /** Meta answers the media id with a short-lived URL, and serves the file there, both to the account's token. */
    public static void metaServes(WireMockServer fake, String mediaId, String mimeType, byte[] bytes) {
        String download = "/meta-lookaside/" + mediaId;
        fake.stubFor(get(urlPathMatching("/v[0-9.]+/" + mediaId)).withHeader("Authorization", equalTo("Bearer meta-token"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                        {"messaging_product":"whatsapp","url":"%s","mime_type":"%s","sha256":"abc","file_size":%d,"id":"%s"}"""
                        .formatted(ProviderFakes.baseUrl() + download, mimeType, bytes.length, mediaId))));
        fake.stubFor(get(urlPathEqualTo(download)).withHeader("Authorization", equalTo("Bearer meta-token"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", mimeType).withBody(bytes)));
    }

    public static int metaLookups(WireMockServer fake, String mediaId) {
        return fake.findAll(getRequestedFor(urlPathMatching("/v[0-9.]+/" + mediaId))).size();
    }

    /** A signed WhatsApp Cloud API webhook with one media message ({@code type} image, audio, document…). */
    public static ApiClient.Response metaMedia(Channels channels, UUID accountId, String wamid, String waId, String type, String mediaId,
                                               String mimeType, boolean voice) {
        String json = """
                {"object":"whatsapp_business_account","entry":[{"id":"WABA1","changes":[{"value":{"messaging_product":"whatsapp",
                 "metadata":{"display_phone_number":"15550001111","phone_number_id":"%s"},
                 "contacts":[{"profile":{"name":"Maria Silva"},"wa_id":"%s"}],
                 "messages":[{"from":"%s","id":"%s","timestamp":"1717000000","type":"%s",
                   "%s":{"mime_type":"%s","sha256":"abc","id":"%s"%s}}]},"field":"messages"}]}]}"""
                .formatted(channels.metaPhoneNumberIdOf(accountId), waId, waId, wamid, type, type, mimeType, mediaId,
                        voice ? ",\"voice\":true" : "");
        return channels.metaPost(accountId, json, Channels.META_SECRET);
    }

    /** Evolution gives the decrypted file as base64 for the message key id. */
    public static void evolutionServes(WireMockServer fake, String instance, String keyId, String mimeType, byte[] bytes) {
        fake.stubFor(post(urlPathEqualTo("/chat/getBase64FromMediaMessage/" + instance)).withHeader("apikey", equalTo("evo-key"))
                .withRequestBody(equalToJson("{\"message\":{\"key\":{\"id\":\"" + keyId + "\"}}}", true, true))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json").withBody("""
                        {"mediaType":"audioMessage","fileName":null,"size":{"fileLength":%d},"mimetype":"%s","base64":"%s"}"""
                        .formatted(bytes.length, mimeType, Base64.getEncoder().encodeToString(bytes)))));
    }

    public static int evolutionDownloads(WireMockServer fake, String instance) {
        return fake.findAll(postRequestedFor(urlPathEqualTo("/chat/getBase64FromMediaMessage/" + instance))).size();
    }

    /** An Evolution messages.upsert webhook with an image or a voice note (ptt), as Evolution v2 posts it. */
    public static ApiClient.Response evolutionMedia(ApiClient api, UUID accountId, String instance, String keyId, String number,
                                                    String type, String mimeType) {
        String body = type.equals("audioMessage")
                ? "{\"url\":\"https://mmg.whatsapp.net/v/t62.7117-24/x.enc\",\"mimetype\":\"" + mimeType + "\",\"seconds\":4,\"ptt\":true}"
                : "{\"url\":\"https://mmg.whatsapp.net/v/t62.7118-24/x.enc\",\"mimetype\":\"" + mimeType + "\",\"caption\":\"\"}";
        String json = """
                {"event":"messages.upsert","instance":"%s","data":{"key":{"remoteJid":"%s@s.whatsapp.net","fromMe":false,"id":"%s"},
                 "pushName":"Maria","message":{"%s":%s},"messageType":"%s","messageTimestamp":1717000000},
                 "sender":"%s@s.whatsapp.net","apikey":"evo-key"}""".formatted(instance, number, keyId, type, body, type, number);
        return api.postRaw("/webhooks/evolution/" + accountId + "?secret=" + Channels.EVOLUTION_SECRET, "application/json",
                json.getBytes(StandardCharsets.UTF_8), Map.of());
    }
}
