package io.switchboard.ai.llm;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The retry policy end to end: the real client against a WireMock provider, with recorded waits. */
class RetryingLlmCallerTest {

    @RegisterExtension
    static WireMockExtension provider = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final List<Duration> waits = new ArrayList<>();
    private final RetryingLlmCaller caller = new RetryingLlmCaller(new OpenAiCompatibleLlmClient(),
            4, Duration.ofMillis(500), Duration.ofSeconds(8), waits::add, Clock.systemUTC(), () -> 0.5);

    private LlmRequest question() {
        return new LlmRequest(new LlmEndpoint(provider.baseUrl() + "/v1", "sk-test"), "gpt-4o-mini", 0.3, 200,
                List.of(new LlmMessage.System("You answer for ACME."), new LlmMessage.User("When do you open?")),
                List.of(), Duration.ofSeconds(60));
    }

    private static Instant inSeconds(int seconds) {
        return Instant.now().plusSeconds(seconds);
    }

    /** The provider answers {@code first}, then {@code then} for every later request. */
    private void providerAnswers(ResponseDefinitionBuilder first, ResponseDefinitionBuilder then) {
        provider.stubFor(post(OpenAiWire.PATH).inScenario("flaky").whenScenarioStateIs(STARTED)
                .willReturn(first).willSetStateTo("recovered"));
        provider.stubFor(post(OpenAiWire.PATH).inScenario("flaky").whenScenarioStateIs("recovered").willReturn(then));
    }

    @Test
    void aServerErrorThenAnAnswerIsAnsweredAfterTwoAttempts() throws Exception {
        providerAnswers(OpenAiWire.serverError(), OpenAiWire.answer("We open at 9am."));

        RetryingLlmCaller.Attempted attempted = caller.callCountingAttempts(question(), inSeconds(30));

        assertThat(attempted.reply().text()).isEqualTo("We open at 9am.");
        assertThat(attempted.attempts()).isEqualTo(2);
        assertThat(waits).hasSize(1);
        assertThat(waits.get(0)).isBetween(Duration.ZERO, Duration.ofMillis(500));
        provider.verify(2, postRequestedFor(urlEqualTo(OpenAiWire.PATH)));
    }

    @Test
    void aRateLimitIsRetriedAfterAtLeastItsRetryAfter() throws Exception {
        providerAnswers(OpenAiWire.rateLimited(1), OpenAiWire.answer("We open at 9am."));

        LlmReply reply = caller.call(question(), inSeconds(30));

        assertThat(reply.text()).isEqualTo("We open at 9am.");
        assertThat(waits).hasSize(1);
        assertThat(waits.get(0)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        provider.verify(2, postRequestedFor(urlEqualTo(OpenAiWire.PATH)));
    }

    @Test
    void insufficientQuotaFailsAtOnceWithoutRetrying() {
        provider.stubFor(post(OpenAiWire.PATH).willReturn(OpenAiWire.quotaExhausted()));

        LlmCallException failure = catchThrowableOfType(LlmCallException.class, () -> caller.call(question(), inSeconds(30)));

        assertThat(failure.reason()).isEqualTo(FailureReason.QUOTA_EXHAUSTED);
        assertThat(failure.getMessage()).contains("no credit left");
        assertThat(waits).isEmpty();
        provider.verify(1, postRequestedFor(urlEqualTo(OpenAiWire.PATH)));
    }

    @Test
    void anInvalidKeyFailsAtOnceWithoutRetrying() {
        provider.stubFor(post(OpenAiWire.PATH).willReturn(OpenAiWire.invalidKey()));

        LlmCallException failure = catchThrowableOfType(LlmCallException.class, () -> caller.call(question(), inSeconds(30)));

        assertThat(failure.reason()).isEqualTo(FailureReason.INVALID_KEY);
        assertThat(failure.httpStatus()).isEqualTo(401);
        provider.verify(1, postRequestedFor(urlEqualTo(OpenAiWire.PATH)));
    }

    @Test
    void persistentServerErrorsGiveUpAfterTheMaximumAttemptsWithGrowingWaits() {
        provider.stubFor(post(OpenAiWire.PATH).willReturn(OpenAiWire.serverError()));
        RetryingLlmCaller alwaysLongestWait = new RetryingLlmCaller(new OpenAiCompatibleLlmClient(),
                4, Duration.ofMillis(500), Duration.ofMillis(1500), waits::add, Clock.systemUTC(), () -> 0.999999);

        LlmCallException failure = catchThrowableOfType(LlmCallException.class,
                () -> alwaysLongestWait.call(question(), inSeconds(30)));

        assertThat(failure.reason()).isEqualTo(FailureReason.PROVIDER_UNAVAILABLE);
        assertThat(failure.getMessage()).contains("after 4 attempts");
        // Ceilings 500 ms, 1 s, then 2 s capped at 1.5 s.
        assertThat(waits).containsExactly(Duration.ofMillis(500), Duration.ofMillis(1000), Duration.ofMillis(1500));
        provider.verify(4, postRequestedFor(urlEqualTo(OpenAiWire.PATH)));
    }

    @Test
    void aProviderHangingPastTheDeadlineIsATimeoutThatKeepsTheDeadline() {
        provider.stubFor(post(OpenAiWire.PATH).willReturn(OpenAiWire.answer("too late").withFixedDelay(10_000)));
        RetryingLlmCaller realSleeps = new RetryingLlmCaller(new OpenAiCompatibleLlmClient());
        Instant deadline = Instant.now().plusMillis(1500);

        LlmCallException failure = catchThrowableOfType(LlmCallException.class, () -> realSleeps.call(question(), deadline));

        assertThat(failure.reason()).isEqualTo(FailureReason.TIMEOUT);
        assertThat(Instant.now()).isBefore(deadline.plusMillis(300));
    }

    @Test
    void aRetryAfterBeyondTheDeadlineGivesUpInsteadOfWaiting() {
        provider.stubFor(post(OpenAiWire.PATH).willReturn(OpenAiWire.rateLimited(60)));

        LlmCallException failure = catchThrowableOfType(LlmCallException.class, () -> caller.call(question(), inSeconds(10)));

        assertThat(failure.reason()).isEqualTo(FailureReason.TIMEOUT);
        assertThat(failure.getCause()).isInstanceOfSatisfying(LlmCallException.class,
                cause -> assertThat(cause.reason()).isEqualTo(FailureReason.RATE_LIMIT));
        assertThat(waits).isEmpty();
        provider.verify(1, postRequestedFor(urlEqualTo(OpenAiWire.PATH)));
    }

    @Test
    void anEmptyAnswerIsAFailureThatIsNotRetried() {
        provider.stubFor(post(OpenAiWire.PATH).willReturn(OpenAiWire.answer("")));

        LlmCallException failure = catchThrowableOfType(LlmCallException.class, () -> caller.call(question(), inSeconds(30)));

        assertThat(failure.reason()).isEqualTo(FailureReason.EMPTY_ANSWER);
        provider.verify(1, postRequestedFor(urlEqualTo(OpenAiWire.PATH)));
    }

    @Test
    void aNullContentWithoutToolCallsIsAnEmptyAnswerToo() {
        provider.stubFor(post(OpenAiWire.PATH).willReturn(OpenAiWire.answer(null)));

        LlmCallException failure = catchThrowableOfType(LlmCallException.class, () -> caller.call(question(), inSeconds(30)));

        assertThat(failure.reason()).isEqualTo(FailureReason.EMPTY_ANSWER);
    }

    @Test
    void eachCallGetsOnlyTheTimeLeftBeforeTheDeadline() throws Exception {
        List<Duration> timeouts = new ArrayList<>();
        LlmClient recordingTimeouts = request -> {
            timeouts.add(request.callTimeout());
            return new LlmReply("hi", List.of(), LlmUsage.NONE, "stop", Duration.ZERO);
        };
        Instant now = Instant.parse("2026-01-01T10:00:00Z");
        RetryingLlmCaller fixedClock = new RetryingLlmCaller(recordingTimeouts, 4, Duration.ofMillis(500),
                Duration.ofSeconds(8), waits::add, Clock.fixed(now, java.time.ZoneOffset.UTC), () -> 0.5);

        fixedClock.call(question(), now.plusSeconds(20));

        assertThat(timeouts).containsExactly(Duration.ofSeconds(20));
    }
}
