package io.switchboard.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.database.TenantScope;
import io.switchboard.support.ApiClient;
import io.switchboard.support.IntegrationTest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.context.ApplicationContext;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * Nodes starting at the same moment on an empty database: each runs the application's start-up runners
 * (demo workspace, bootstrap token) at once. Runs on its own embedded database, because it empties it.
 */
@IntegrationTest
@TestPropertySource(properties = "switchboard.db.data-dir=target/test-data-first-start")
class FirstStartTest {

    private static final int NODES = 4;
    private static final String BOOTSTRAP_TOKEN = "sb_bootstrap_token_for_tests_only";

    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ApiClient api;

    @BeforeEach
    void emptyDatabase() {
        TenantScope.runAsSystem(() -> jdbc.sql("delete from organizations").update());
    }

    @Test
    void nodesStartingTogetherCreateOneDemoWorkspaceAndOneOrganizationForTheBootstrapTokenBesideIt() throws Exception {
        List<ApplicationRunner> startUp = new ArrayList<>(context.getBeansOfType(ApplicationRunner.class).values());
        startUp.sort(AnnotationAwareOrderComparator.INSTANCE);

        startTogether(startUp);

        assertThat(slugs()).containsExactly("default", DemoWorkspace.SLUG);
        assertThat(TenantScope.asSystem(() -> jdbc.sql("select count(*) from users where email = ?")
                .param(DemoWorkspace.ADMIN_EMAIL).query(Integer.class).single())).isEqualTo(1);
        var me = api.get("/api/v1/me", BOOTSTRAP_TOKEN);
        assertThat(me.status()).isEqualTo(200);
        // H1: real channels configured with the bootstrap token never land in the tenant with a published password
        assertThat(me.json().get("organization_id").asString()).isNotEqualTo(demoOrganizationId());
    }

    @Test
    void aRevokedBootstrapTokenStaysRevokedAtTheNextStart() throws Exception {
        List<ApplicationRunner> bootstrap = context.getBeansOfType(ApplicationRunner.class).values().stream()
                .filter(runner -> runner.getClass().getSimpleName().startsWith("BootstrapToken")).toList();
        startTogether(bootstrap);
        var me = api.get("/api/v1/me", BOOTSTRAP_TOKEN);
        String tokenId = TenantScope.asSystem(() -> jdbc.sql("select id::text from api_tokens where name = 'bootstrap'")
                .query(String.class).single());
        assertThat(api.delete("/api/v1/api_tokens/" + tokenId, BOOTSTRAP_TOKEN).status()).isEqualTo(204);

        startTogether(bootstrap); // the restart, with the same SWITCHBOARD_BOOTSTRAP_TOKEN configured

        assertThat(me.status()).isEqualTo(200);
        assertThat(api.get("/api/v1/me", BOOTSTRAP_TOKEN).status()).isEqualTo(401);
    }

    @Test
    void nodesStartingTogetherWithoutTheDemoCreateOneOrganizationForTheBootstrapToken() throws Exception {
        List<ApplicationRunner> startUp = context.getBeansOfType(ApplicationRunner.class).values().stream()
                .filter(runner -> runner.getClass().getSimpleName().startsWith("BootstrapToken")).toList();
        assertThat(startUp).hasSize(1);

        startTogether(startUp);

        assertThat(slugs()).containsExactly("default");
        assertThat(api.get("/api/v1/me", BOOTSTRAP_TOKEN).status()).isEqualTo(200);
    }

    /** Every "node" runs the given runners in order, all released at the same instant; any failure fails the test. */
    private void startTogether(List<ApplicationRunner> runners) throws Exception {
        CyclicBarrier together = new CyclicBarrier(NODES);
        ExecutorService nodes = Executors.newFixedThreadPool(NODES);
        try {
            List<Future<?>> started = new ArrayList<>();
            for (int i = 0; i < NODES; i++) {
                started.add(nodes.submit(() -> {
                    together.await();
                    for (ApplicationRunner runner : runners) {
                        runner.run(new DefaultApplicationArguments());
                    }
                    return null;
                }));
            }
            for (Future<?> node : started) {
                node.get(60, TimeUnit.SECONDS); // rethrows a node's start-up failure
            }
        } finally {
            nodes.shutdownNow();
        }
    }

    private List<String> slugs() {
        return TenantScope.asSystem(() -> jdbc.sql("select slug from organizations").query(String.class).list())
                .stream().sorted(Comparator.naturalOrder()).toList();
    }

    private String demoOrganizationId() {
        return TenantScope.asSystem(() -> jdbc.sql("select id::text from organizations where slug = ?")
                .param(DemoWorkspace.SLUG).query(String.class).single());
    }
}
