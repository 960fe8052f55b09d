package io.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.channel.provider.MetaSignature;
import io.switchboard.channel.provider.TwilioSignature;
import io.switchboard.database.TenantScope;
import io.switchboard.support.ApiClient;
import io.switchboard.support.Channels;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.Tenants;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomGenerator;
import net.jqwik.api.sessions.JqwikSession;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Throws mutated real payloads (Twilio forms, Meta and Evolution JSON, web chat calls, sign-in forms, bearer
 * tokens) at every webhook and public route, with mangled content types, encodings, escapes and sizes. Nothing
 * may answer 5xx, and nothing arriving without a valid signature or secret may be stored. jqwik generates the
 * mutations from a fixed seed, so a failure replays exactly; the count is bounded to keep the test under a minute.
 */
@IntegrationTest
class PublicRoutesFuzzTest {

    private static final long SEED = 17_2026L;
    private static final int REQUESTS = 1200;

    @Autowired
    ApiClient api;
    @Autowired
    Tenants tenants;
    @Autowired
    Channels channels;
    @Autowired
    JdbcClient jdbc;

    enum Edit { INSERT, DELETE, REPLACE, TRUNCATE, DUPLICATE, NONE }

    record Mutation(Edit edit, double at, String junk) {
        String apply(String text) {
            int i = (int) (at * text.length());
            return switch (edit) {
                case INSERT -> text.substring(0, i) + junk + text.substring(i);
                case DELETE -> text.substring(0, i) + text.substring(Math.min(text.length(), i + 1 + junk.length()));
                case REPLACE -> text.substring(0, i) + junk + text.substring(Math.min(text.length(), i + junk.length()));
                case TRUNCATE -> text.substring(0, i);
                case DUPLICATE -> text + text.substring(i);
                case NONE -> text;
            };
        }
    }

    record Attack(int route, List<Mutation> mutations, String contentType, String noise) {
        String mutate(String payload) {
            String result = payload;
            for (Mutation m : mutations) {
                result = m.apply(result);
            }
            return result;
        }
    }

    private static Arbitrary<Attack> attacks(int routes) {
        Arbitrary<String> junk = Arbitraries.oneOf(
                Arbitraries.of("\u0000", "%zz", "%", "%00", "\\u0000", "\\ud800", "\"", "{", "}", "[]", "&", "=", "&&==",
                        "\uD800", "💥", "ção", "<script>alert(1)</script>", "' or 1=1 --", "99999999999999999999999999",
                        "-1", "null", "1e999", "\r\n--x\r\nContent-Disposition: form-data\r\n\r\n", "\\", "%C0%AF", "+"),
                Arbitraries.strings().ofMaxLength(30),
                Arbitraries.strings().withChars('a', '{', '"', '%', '\u0000').ofMinLength(200).ofMaxLength(3000));
        Arbitrary<Mutation> mutation = Combinators.combine(Arbitraries.of(Edit.values()),
                Arbitraries.doubles().between(0, 1), junk).as(Mutation::new);
        Arbitrary<String> contentType = Arbitraries.of("application/json", "application/x-www-form-urlencoded",
                "application/x-www-form-urlencoded; charset=no-such-charset", "multipart/form-data",
                "multipart/form-data; boundary=x", "text/plain", "application/xml", "application/json; charset=utf-16",
                "*/*", "application/x-www-form-urlencoded; charset=ISO-8859-1");
        return Combinators.combine(Arbitraries.integers().between(0, routes - 1), mutation.list().ofMinSize(1).ofMaxSize(4),
                contentType, Arbitraries.strings().ofMaxLength(12)).as(Attack::new);
    }

    @Test
    void mutatedPayloadsOnEveryPublicRouteNeverGetA5xxAndUnsignedOnesStoreNothing() {
        var unsigned = tenants.create("Unsigned Co");
        UUID twilio = channels.twilioAccount(unsigned, null);
        UUID meta = channels.metaAccount(unsigned);
        UUID evolution = channels.evolutionAccount(unsigned);
        var signed = tenants.create("Signed Co");
        UUID signedMeta = channels.metaAccount(signed);
        UUID signedTwilio = channels.twilioAccount(signed, null);
        UUID webchat = channels.create(signed, Map.of("type", "webchat", "name", "Site"));
        String visitorToken = api.post("/webchat/" + webchat + "/sessions", null, "{}").json().get("token").asString();

        String twilioForm = Channels.form(twilioParams(channels.twilioSidOf(twilio)));
        String metaJson = metaEvent(channels.metaPhoneNumberIdOf(meta));
        String signedMetaJson = metaEvent(channels.metaPhoneNumberIdOf(signedMeta));
        String evolutionJson = """
                {"event":"messages.upsert","instance":"%s","data":{"key":{"remoteJid":"5511977776666@s.whatsapp.net",\
                "fromMe":false,"id":"3EB0FUZZ"},"pushName":"Carla","message":{"conversation":"Olá"},\
                "messageType":"conversation","messageTimestamp":1717000000}}""".formatted(channels.evolutionInstanceOf(evolution));

        List<Route> routes = List.of(
                new Route("POST", "/webhooks/twilio/" + twilio, twilioForm, Signing.WRONG_TWILIO),
                new Route("POST", "/webhooks/twilio/" + twilio + "/status", twilioForm, Signing.WRONG_TWILIO),
                new Route("POST", "/webhooks/twilio/" + UUID.randomUUID(), twilioForm, Signing.NONE),
                new Route("POST", "/webhooks/meta/" + meta, metaJson, Signing.WRONG_META),
                new Route("GET", "/webhooks/meta/" + meta + "?hub.mode=subscribe&hub.verify_token=", "x&hub.challenge=1", Signing.NONE),
                new Route("POST", "/webhooks/evolution/" + evolution + "?secret=wrong", evolutionJson, Signing.NONE),
                new Route("POST", "/webhooks/meta/" + signedMeta, signedMetaJson, Signing.META),
                new Route("POST", "/webhooks/twilio/" + signedTwilio, Channels.form(twilioParams(channels.twilioSidOf(signedTwilio))), Signing.TWILIO),
                new Route("POST", "/webchat/" + webchat + "/sessions", "{\"name\":\"Ana\",\"token\":\"" + visitorToken + "\"}", Signing.NONE),
                new Route("POST", "/webchat/" + webchat + "/messages", "{\"text\":\"Qual o prazo?\",\"client_id\":\"c1\"}", Signing.WEBCHAT),
                new Route("GET", "/webchat/" + webchat + "/messages?x=", "1", Signing.WEBCHAT),
                new Route("POST", "/login", "username=ana%40example.test&password=secret", Signing.NONE),
                new Route("POST", "/setup", "organization=Acme&name=Ana&email=ana%40example.test&password=12345678", Signing.NONE),
                new Route("GET", "/api/v1/me?", "", Signing.BEARER));

        List<Attack> attacks = new ArrayList<>();
        // generators need a jqwik session outside a property; the seed alone decides what they produce
        JqwikSession.start();
        try {
            RandomGenerator<Attack> generator = attacks(routes.size()).generator(1000);
            Random random = new Random(SEED);
            for (int i = 0; i < REQUESTS; i++) {
                attacks.add(generator.next(random).value());
            }
        } finally {
            JqwikSession.finish();
        }
        List<String> serverErrors = new ArrayList<>();
        long started = System.nanoTime();
        for (Attack attack : attacks) {
            Route route = routes.get(attack.route());
            String body = attack.mutate(route.payload());
            ApiClient.Response response = send(route, body, attack, visitorToken);
            if (response.status() >= 500) {
                serverErrors.add(response.status() + " " + route.method() + " " + route.path() + " <- " + attack);
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(serverErrors).as("requests answered 5xx").isEmpty();
        assertThat(count(unsigned, "messages")).as("messages stored from unsigned webhooks").isZero();
        assertThat(count(unsigned, "contacts")).as("contacts created by unsigned webhooks").isZero();
        assertThat(took).as("bounded run time").isLessThan(Duration.ofSeconds(60));
    }

    enum Signing { NONE, WRONG_TWILIO, TWILIO, WRONG_META, META, WEBCHAT, BEARER }

    record Route(String method, String path, String payload, Signing signing) {
    }

    private ApiClient.Response send(Route route, String body, Attack attack, String visitorToken) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String path = route.method().equals("GET") ? route.path() + encodeLoosely(body) : route.path();
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create(api.baseUrl() + path)).timeout(Duration.ofSeconds(30));
        } catch (IllegalArgumentException invalidUri) {
            request = HttpRequest.newBuilder(URI.create(api.baseUrl() + route.path())).timeout(Duration.ofSeconds(30));
        }
        if (route.method().equals("POST")) {
            request.header("Content-Type", attack.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        }
        switch (route.signing()) {
            case WRONG_TWILIO -> request.header("X-Twilio-Signature", "bm90IGEgc2lnbmF0dXJl" + attack.noise().hashCode());
            case TWILIO -> request.header("X-Twilio-Signature", TwilioSignature.compute(api.baseUrl() + route.path(),
                    parseForm(body), Channels.TWILIO_TOKEN));
            case WRONG_META -> request.header("X-Hub-Signature-256", MetaSignature.compute(bytes, "not-the-secret"));
            case META -> request.header("X-Hub-Signature-256", MetaSignature.compute(bytes, Channels.META_SECRET));
            case WEBCHAT -> request.header("X-Webchat-Token", attack.mutations().size() > 2 ? "t" + safeHeader(attack.noise()) : visitorToken);
            case BEARER -> request.header("Authorization", "Bearer sb_" + safeHeader(attack.mutate("fuzzed-token-value")));
            case NONE -> { }
        }
        try {
            return api.send(request.build());
        } catch (IllegalStateException e) {
            // the client refused to send it (a header value it will not encode): nothing reached the server
            return new ApiClient.Response(0, "", null, null);
        }
    }

    private static String safeHeader(String value) {
        return value.replaceAll("[^\\x21-\\x7e]", "x");
    }

    private static String encodeLoosely(String query) {
        return query.replace(" ", "%20").replace("\"", "%22").replace("<", "%3C").replace(">", "%3E")
                .replaceAll("[^\\x21-\\x7e]", "%C3%A7");
    }

    private static Map<String, String> parseForm(String body) {
        Map<String, String> form = new TreeMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            try {
                String name = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                form.putIfAbsent(name, value);
            } catch (IllegalArgumentException e) {
                // an escape the server will refuse too: the signature then simply does not match
            }
        }
        return form;
    }

    private static Map<String, String> twilioParams(String accountSid) {
        Map<String, String> params = new java.util.LinkedHashMap<>();
        params.put("MessageSid", "SM" + UUID.randomUUID().toString().replace("-", ""));
        params.put("AccountSid", accountSid);
        params.put("From", "whatsapp:+5511988887777");
        params.put("To", "whatsapp:+14155238886");
        params.put("Body", "Olá, meu pedido 123 não chegou");
        params.put("NumMedia", "0");
        params.put("ProfileName", "Maria Silva");
        params.put("WaId", "5511988887777");
        return params;
    }

    private static String metaEvent(String phoneNumberId) {
        return """
                {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{\
                "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"%s"},\
                "contacts":[{"profile":{"name":"Cliente"},"wa_id":"5521966660001"}],"messages":[{"from":"5521966660001",\
                "id":"wamid.fuzz","timestamp":"1717000000","type":"text","text":{"body":"Oi, tudo bem?"}}]},\
                "field":"messages"}]}]}""".formatted(phoneNumberId);
    }

    private int count(Tenants.Tenant tenant, String table) {
        return TenantScope.call(tenant.id(), () -> jdbc.sql("select count(*) from " + table + " where organization_id = ?")
                .param(tenant.id()).query(Integer.class).single());
    }
}
