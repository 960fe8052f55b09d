package io.switchboard.ai.turn;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.switchboard.support.AiFixtures.COMPLETIONS;
import static io.switchboard.support.AiFixtures.answer;
import static io.switchboard.support.AiFixtures.completionRequests;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.switchboard.support.AiFixtures;
import io.switchboard.support.ApiClient;
import io.switchboard.support.Channels;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.ProviderFakes;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Issue 19 §1: the model hangs past the turn timeout, and during the hang a person takes the conversation. When
 * the turn gives up, nothing automatic may reach the customer — no fallback, no transition text — and the
 * person's status and ownership stay; the failure is an event the person sees.
 */
@IntegrationTest
class TakeOverDuringFailingTurnTest {

    @Autowired
    AiFixtures fixtures;

    @Autowired
    Channels channels;

    @Autowired
    ApiClient api;

    WireMockServer fake;

    @BeforeEach
    void fakes() {
        fake = ProviderFakes.fresh();
        AiFixtures.twilioAccepts(fake);
        // held far longer than the turn timeout: the turn fails while the person acts
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).willReturn(answer("tarde demais", 10, 0, 5).withFixedDelay(30_000)));
    }

    @Test
    void aPersonWhoRepliesDuringTheHangIsTheOnlyOneTheCustomerHears() {
        String phone = "+5511970000001";
        var outcome = takeOverDuringHang("Race Reply", phone, (setup, id) -> {
            var reply = api.post("/api/v1/conversations/" + id + "/messages", setup.tenant().agentToken(),
                    Map.of("content", "Oi! Aqui é o Bruno, já te ajudo."));
            assertThat(reply.status()).isEqualTo(201);
            return reply;
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> bodiesTo(phone).contains("Oi! Aqui é o Bruno, já te ajudo."));
        assertThat(bodiesTo(phone)).containsExactly("Oi! Aqui é o Bruno, já te ajudo.");
        assertThat(outcome.get("status").asString()).isEqualTo("open");
    }

    @Test
    void aPersonWhoTakesOverDuringTheHangKeepsTheConversationAndTheCustomerHearsNothingAutomatic() {
        String phone = "+5511970000002";
        var outcome = takeOverDuringHang("Race Take Over", phone, (setup, id) -> {
            var taken = api.post("/api/v1/conversations/" + id + "/take_over", setup.tenant().agentToken(), Map.of());
            assertThat(taken.status()).isEqualTo(200);
            return taken;
        });
        assertThat(bodiesTo(phone)).isEmpty();
        assertThat(outcome.get("status").asString()).isEqualTo("open");
    }

    @Test
    void aConversationAssignedDuringTheHangStaysWithTheAssigneeAndTheCustomerHearsNothingAutomatic() {
        String phone = "+5511970000003";
        var outcome = takeOverDuringHang("Race Assign", phone, (setup, id) -> {
            var assigned = api.post("/api/v1/conversations/" + id + "/assign", setup.tenant().adminToken(),
                    Map.of("user_id", setup.tenant().agent().id().toString()));
            assertThat(assigned.status()).isEqualTo(200);
            return assigned;
        });
        assertThat(bodiesTo(phone)).isEmpty();
        assertThat(outcome.get("status").asString()).isEqualTo("open");
    }

    /**
     * A customer message, the model held, the person's action while the LLM call hangs, then the turn's end: the
     * {@code ai_failed} event the person sees. Returns the conversation afterwards, checked for what must hold in
     * every variant.
     */
    private JsonNode takeOverDuringHang(String name, String phone,
                                        BiFunction<AiFixtures.AiSetup, String, ApiClient.Response> personActs) {
        var setup = fixtures.create(name, Map.of("context_timer_seconds", 0, "response_delay_min", 0,
                "response_delay_max", 0, "turn_timeout_seconds", 10), List.of(), true);
        channels.twilioMessage(setup.accountId(), AiTurnTest.sid(), phone, "Oi, preciso de ajuda");
        // the turn's LLM call has reached the model and hangs there
        await().atMost(Duration.ofSeconds(10)).until(() -> completionRequests(fake).stream()
                .anyMatch(r -> r.getBodyAsString().contains("preciso de ajuda")));
        String id = api.get("/api/v1/conversations", setup.tenant().agentToken()).json().get("items").get(0).get("id").asString();
        String person = setup.tenant().agent().id().toString();

        personActs.apply(setup, id);
        assertThat(events(setup, id)).as("the turn is still waiting on the model").doesNotContain("ai_failed");

        // the turn times out and records its failure for the person instead of telling the customer
        await().atMost(Duration.ofSeconds(25)).until(() -> events(setup, id).contains("ai_failed"));
        JsonNode conversation = api.get("/api/v1/conversations/" + id, setup.tenant().agentToken()).json();
        assertThat(conversation.get("agent_id").asString()).isEqualTo(person);
        assertThat(conversation.get("requires_human_attention").asBoolean()).isFalse();
        JsonNode messages = api.get("/api/v1/conversations/" + id + "/messages", setup.tenant().agentToken()).json().get("items");
        List<String> automatic = new ArrayList<>();
        messages.forEach(m -> {
            String sender = m.get("sender_type").asString();
            if (sender.equals("system") || sender.equals("ai_agent")) {
                automatic.add(m.get("content").asString());
            }
        });
        assertThat(automatic).as("automatic messages stored after the person took over").isEmpty();
        assertThat(events(setup, id)).contains("automatic_message_withheld");
        return conversation;
    }

    private List<String> events(AiFixtures.AiSetup setup, String id) {
        List<String> types = new ArrayList<>();
        api.get("/api/v1/conversations/" + id + "/events", setup.tenant().agentToken()).json()
                .forEach(e -> types.add(e.get("type").asString()));
        return types;
    }

    /** What Twilio was asked to send to this customer (the fake serves every test; the number is this test's). */
    private List<String> bodiesTo(String phone) {
        List<String> bodies = new ArrayList<>();
        String to = "To=" + URLEncoder.encode("whatsapp:" + phone, StandardCharsets.UTF_8);
        for (var request : fake.findAll(postRequestedFor(urlPathMatching(AiFixtures.ANY_TWILIO_MESSAGES)))) {
            String form = request.getBodyAsString();
            if (!List.of(form.split("&")).contains(to)) {
                continue;
            }
            for (String pair : form.split("&")) {
                if (pair.startsWith("Body=")) {
                    bodies.add(URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8));
                }
            }
        }
        return bodies;
    }
}
