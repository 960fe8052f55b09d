package io.switchboard.ai.turn;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.switchboard.support.AiFixtures.COMPLETIONS;
import static io.switchboard.support.AiFixtures.answer;
import static io.switchboard.support.AiFixtures.completionRequests;
import static io.switchboard.support.AiFixtures.twilioBodies;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.switchboard.support.AiFixtures;
import io.switchboard.support.ApiClient;
import io.switchboard.support.Channels;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.MediaFakes;
import io.switchboard.support.ProviderFakes;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The AI hears voice notes: transcribed once through the LLM provider, in the context, and in the books. */
@IntegrationTest
class MediaTurnTest {

    static final String TRANSCRIPTIONS = "/v1/audio/transcriptions";

    @Autowired
    AiFixtures fixtures;

    @Autowired
    Channels channels;

    @Autowired
    ApiClient api;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    JsonMapper json;

    WireMockServer fake;

    @BeforeEach
    void fakes() {
        fake = ProviderFakes.fresh();
        AiFixtures.twilioAccepts(fake);
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).willReturn(answer("Anotado: dois bolos de cenoura!", 100, 0, 20)));
    }

    @Test
    void aVoiceNotesTranscriptReachesTheModelAndItsCostIsRecorded() {
        var setup = fixtures.create("Voice Turn", AiTurnTest.FAST, List.of(), true);
        fake.stubFor(post(urlEqualTo(TRANSCRIPTIONS)).withHeader("Authorization", equalTo("Bearer " + setup.llmKey()))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"text\":\"Oi, quero dois bolos de cenoura para sábado\",\"usage\":{\"type\":\"duration\",\"seconds\":30}}")));
        String messageSid = voiceNote(setup, "+5511970001234");

        await().atMost(Duration.ofSeconds(30)).until(() -> twilioBodies(fake, setup).contains("Anotado: dois bolos de cenoura!"));

        var transcriptions = fake.findAll(postRequestedFor(urlEqualTo(TRANSCRIPTIONS))
                .withHeader("Authorization", equalTo("Bearer " + setup.llmKey())));
        assertThat(transcriptions).hasSize(1);
        assertThat(transcriptions.get(0).getHeader("Content-Type")).startsWith("multipart/form-data");
        assertThat(transcriptions.get(0).getBodyAsString()).contains("whisper-1").contains("OggS");
        var completions = completionRequests(fake, setup);
        assertThat(completions).hasSize(1);
        assertThat(completions.get(0).getBodyAsString()).contains("Oi, quero dois bolos de cenoura para sábado");

        // stored with the file: people see it, and the next turn does not pay for it again
        String conversationId = setup.tenant().scoped(() -> jdbc.sql("select id::text from conversations").query(String.class).single());
        JsonNode messages = api.get("/api/v1/conversations/" + conversationId + "/messages", setup.tenant().agentToken()).json().get("items");
        String voiceMessageId = messages.get(0).get("id").asString();
        JsonNode media = api.get("/api/v1/messages/" + voiceMessageId + "/media", setup.tenant().agentToken()).json().get("items");
        assertThat(media.get(0).get("understanding").asString()).isEqualTo("Oi, quero dois bolos de cenoura para sábado");
        assertThat(media.get(0).get("understanding_kind").asString()).isEqualTo("transcript");
        assertThat(messageSid).isNotBlank();

        JsonNode ai = api.get("/api/v1/conversations/" + conversationId + "/ai", setup.tenant().agentToken()).json().get(0);
        // gpt-4o-mini (100 × 0.15 + 20 × 0.60) / 1M = 0.000027, and 30 s of whisper at 0.006 USD a minute = 0.003
        assertThat(new BigDecimal(ai.get("cost").asString())).isEqualByComparingTo("0.003027");
    }

    @Test
    void withoutATranscriptTheModelIsToldItCannotOpenTheFile() {
        var setup = fixtures.create("Voice Unheard", AiTurnTest.FAST, List.of(), true);
        fake.stubFor(post(urlEqualTo(TRANSCRIPTIONS)).willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"Unknown request URL\",\"type\":\"invalid_request_error\"}}")));

        voiceNote(setup, "+5511970005678");

        await().atMost(Duration.ofSeconds(30)).until(() -> !twilioBodies(fake, setup).isEmpty());
        var completions = completionRequests(fake, setup);
        assertThat(completions.get(0).getBodyAsString()).contains("não consegue abrir").doesNotContain("bolos");
    }

    @Test
    void aPhotoIsDescribedByTheAgentsVisionModelAndTheDescriptionIsWhatTheAnswerSees() {
        var setup = fixtures.create("Photo Turn", AiTurnTest.FAST, List.of(), true);
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).withRequestBody(containing("image_url"))
                .willReturn(answer("Foto de um bolo de cenoura com cobertura de chocolate, etiqueta 'pedido 4521'.", 800, 0, 30)));
        String messageSid = "MM" + UUID.randomUUID().toString().replace("-", "");
        String mediaSid = "ME" + UUID.randomUUID().toString().replace("-", "");
        MediaFakes.twilioServes(fake, setup.twilioSid(), messageSid, mediaSid, "image/png", MediaFakes.PNG);
        MediaFakes.twilioMedia(channels, setup.accountId(), setup.twilioSid(), messageSid, "+5511970009999", mediaSid, "image/png", null);

        await().atMost(Duration.ofSeconds(30)).until(() -> twilioBodies(fake, setup).contains("Anotado: dois bolos de cenoura!"));
        var completions = completionRequests(fake, setup);
        assertThat(completions).hasSize(2);
        assertThat(completions.get(0).getBodyAsString()).contains("data:image/png;base64,");
        assertThat(completions.get(1).getBodyAsString()).contains("bolo de cenoura com cobertura de chocolate").doesNotContain("base64");
        String conversationId = setup.tenant().scoped(() -> jdbc.sql("select id::text from conversations").query(String.class).single());
        JsonNode ai = api.get("/api/v1/conversations/" + conversationId + "/ai", setup.tenant().agentToken()).json().get(0);
        assertThat(ai.get("tokens_prompt").asLong()).as("the description's tokens are in the books").isEqualTo(900);
    }

    private String voiceNote(AiFixtures.AiSetup setup, String from) {
        String messageSid = "MM" + UUID.randomUUID().toString().replace("-", "");
        String mediaSid = "ME" + UUID.randomUUID().toString().replace("-", "");
        MediaFakes.twilioServes(fake, setup.twilioSid(), messageSid, mediaSid, "audio/ogg", MediaFakes.OGG);
        assertThat(MediaFakes.twilioMedia(channels, setup.accountId(), setup.twilioSid(), messageSid, from, mediaSid, "audio/ogg", null)
                .status()).isEqualTo(200);
        return messageSid;
    }
}
