package io.switchboard.channel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.switchboard.support.AiFixtures.COMPLETIONS;
import static io.switchboard.support.AiFixtures.answer;
import static io.switchboard.support.AiFixtures.twilioBodies;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.switchboard.support.AiFixtures;
import io.switchboard.support.ApiClient;
import io.switchboard.support.Channels;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.ProviderFakes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * An AI turn sends its answer itself right after storing it, without waiting for the scheduler to claim a
 * delivery job; the job is still stored with the answer, for much later, so a node dying mid-send leaves the
 * answer to a live node (which settles a half-done send as {@link DeliveryRecoveryTest} shows), and it goes
 * away with the commit that records the answer sent.
 */
@IntegrationTest
class InlineDeliveryTest {

    static final Map<String, Object> FAST = Map.of("context_timer_seconds", 0, "response_delay_min", 0, "response_delay_max", 0);

    @Autowired
    AiFixtures fixtures;

    @Autowired
    Channels channels;

    @Autowired
    ApiClient api;

    @Autowired
    JdbcClient jdbc;

    WireMockServer fake;

    @BeforeEach
    void fakes() {
        fake = ProviderFakes.fresh();
    }

    @Test
    void theAnswerIsSentOnceByItsTurnWithASafetyNetJobForLaterThatGoesAwayOnceItIsSent() {
        var setup = fixtures.create("Inline Delivery", FAST, List.of(), true);
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).willReturn(answer("Seu pedido 7781 sai hoje.", 80, 0, 12)));
        // Twilio takes 2 s to answer: long enough to look at the stored state while the send is in flight
        fake.stubFor(post(urlPathEqualTo(Channels.twilioMessagesPath(setup.twilioSid()))).willReturn(aResponse().withStatus(201)
                .withFixedDelay(2000).withHeader("Content-Type", "application/json")
                .withBody("{\"sid\":\"SMinline000000000000000000000001\",\"status\":\"queued\"}")));

        channels.twilioMessage(setup.accountId(), "SM" + UUID.randomUUID().toString().replace("-", ""), "+5511970007781", "cadê meu pedido?");

        String conversation = await().atMost(Duration.ofSeconds(20)).until(() -> onlyConversation(setup), Optional::isPresent).get();
        JsonNode sending = await().atMost(Duration.ofSeconds(20))
                .until(() -> aiAnswer(setup, conversation), m -> m.isPresent() && "sending".equals(m.get().get("status").asString())).get();
        UUID answerId = UUID.fromString(sending.get("id").asString());
        // mid-send: the delivery job waits, unclaimed, far beyond the provider call's deadline
        Map<String, Object> job = jdbc.sql("select picked, execution_time from scheduled_tasks where task_name = 'deliver-message' and task_instance = ?")
                .param(answerId.toString()).query().singleRow();
        assertThat(job.get("picked")).as("no node claimed it: the turn's own thread is sending").isEqualTo(false);
        assertThat(((java.sql.Timestamp) job.get("execution_time")).toInstant()).isAfter(Instant.now().plusSeconds(30));

        await().atMost(Duration.ofSeconds(20))
                .until(() -> aiAnswer(setup, conversation).map(m -> m.get("status").asString()).orElse(""), "sent"::equals);
        assertThat(aiAnswer(setup, conversation).get().get("provider_message_id").asString()).isEqualTo("SMinline000000000000000000000001");
        assertThat(twilioBodies(fake, setup)).containsExactly("Seu pedido 7781 sai hoje.");
        assertThat(jdbc.sql("select count(*) from scheduled_tasks where task_name = 'deliver-message' and task_instance = ?")
                .param(answerId.toString()).query(Long.class).single()).as("the safety net left with the 'sent' commit").isZero();
    }

    private Optional<String> onlyConversation(AiFixtures.AiSetup setup) {
        JsonNode items = api.get("/api/v1/conversations", setup.tenant().agentToken()).json().get("items");
        return items.isEmpty() ? Optional.empty() : Optional.of(items.get(0).get("id").asString());
    }

    private Optional<JsonNode> aiAnswer(AiFixtures.AiSetup setup, String conversation) {
        for (JsonNode m : api.get("/api/v1/conversations/" + conversation + "/messages", setup.tenant().agentToken()).json().get("items")) {
            if ("outbound".equals(m.get("direction").asString())) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
