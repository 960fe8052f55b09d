package io.switchboard.support;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.switchboard.support.AiFixtures.COMPLETIONS;
import static io.switchboard.support.AiFixtures.answer;
import static io.switchboard.support.AiFixtures.toolCalls;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.util.List;

/**
 * A scripted model whose path depends on the prompt: as Lia (the prompt {@link AiFixtures} gives agents) it looks
 * order 1234 up and answers with what the store said ("processing"); as Leo it never looks anything up.
 */
public final class OrderLookupModel {

    public static final String ORDER_LOOKUP = "buscar_pedido_woocommerce";
    public static final String LIA_ANSWER = "Seu pedido 1234 está em preparação.";
    public static final String LEO_PROMPT = "Você é o Leo, atendente.";
    public static final String LEO_ANSWER = "Não consigo ver pedidos, desculpe.";

    private OrderLookupModel() {
    }

    public static void stub(WireMockServer fake) {
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).withRequestBody(containing("Você é a Lia")).atPriority(5)
                .willReturn(toolCalls(List.<String[]>of(new String[] {"call_1", ORDER_LOOKUP, "{\"numero_pedido\":1234}"}), 400, 0, 20)));
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).withRequestBody(containing("Você é a Lia")).withRequestBody(containing("processing"))
                .atPriority(1).willReturn(answer(LIA_ANSWER, 500, 0, 30)));
        fake.stubFor(post(urlEqualTo(COMPLETIONS)).withRequestBody(containing("Você é o Leo")).atPriority(1)
                .willReturn(answer(LEO_ANSWER, 300, 0, 15)));
    }
}
