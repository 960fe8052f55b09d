package io.switchboard.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.support.IntegrationTest;
import io.switchboard.support.Tenants;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A large organization's index is replaced in the background after its documents change, searches answering from
 * the previous copy meanwhile: a new document is found once the new copy is in, and a deleted one is never shown,
 * even from the previous copy. (The size from which this happens is lowered to 1 chunk here.)
 */
@IntegrationTest
class IndexReloadTest {

    @Autowired
    Tenants tenants;

    @Autowired
    KnowledgeBases bases;

    @Autowired
    KnowledgeSearch search;

    @Autowired
    VectorIndex vectors;

    @Autowired
    WordIndex words;

    @Test
    void searchesKeepAnsweringWhileTheIndexReloadsAndNeverShowADeletedDocument() {
        Tenants.Tenant tenant = tenants.create("Reload Co");
        UUID baseId = tenant.scoped(() -> bases.create("Políticas", "reload").id());
        UUID warranty = upload(tenant, baseId, "garantia.md", "# Garantia\n\nTodos os produtos têm garantia de 12 meses contra "
                + "defeitos de fabricação. Para acionar a garantia, envie a nota fiscal e fotos do defeito.");
        assertThat(documentsFound(tenant, baseId, "Qual é o prazo da garantia contra defeitos?")).contains(warranty);

        vectors.backgroundFrom(1);
        words.backgroundFrom(1);
        try {
            UUID shipping = upload(tenant, baseId, "frete.md", "# Frete\n\nO frete é grátis para compras acima de 200 reais "
                    + "em todo o Brasil. Abaixo desse valor, o frete é calculado pelo CEP no carrinho.");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(documentsFound(tenant, baseId, "O frete é grátis acima de quanto?")).contains(shipping));

            tenant.scoped(() -> {
                bases.deleteDocument(warranty);
                return null;
            });
            // at once, before any reload: the previous copy may still hold the deleted chunks, search must not show them
            assertThat(documentsFound(tenant, baseId, "Qual é o prazo da garantia contra defeitos?")).doesNotContain(warranty);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(documentsFound(tenant, baseId, "O frete é grátis acima de quanto?")).contains(shipping));
        } finally {
            vectors.backgroundFrom(20_000);
            words.backgroundFrom(20_000);
        }
    }

    private UUID upload(Tenants.Tenant tenant, UUID baseId, String name, String text) {
        UUID documentId = tenant.scoped(() -> bases.upload(baseId, name, "text/markdown", text.getBytes(StandardCharsets.UTF_8), null).id());
        await().atMost(Duration.ofMinutes(2)).until(() -> tenant.scoped(() -> bases.documents(baseId)).stream()
                .filter(d -> d.id().equals(documentId)).allMatch(d -> d.status() == KnowledgeDocument.Status.READY));
        return documentId;
    }

    private List<UUID> documentsFound(Tenants.Tenant tenant, UUID baseId, String question) {
        return tenant.scoped(() -> search.search(List.of(baseId), question, 5, KnowledgeSearch.Mode.HYBRID)).stream()
                .map(Passage::documentId).toList();
    }
}
