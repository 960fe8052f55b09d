package io.switchboard.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.support.IntegrationTest;
import io.switchboard.support.Tenants;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** Settings are kept on the node between changes; a change is seen at once, a rolled back one never. */
@IntegrationTest
class SettingsKeptTest {

    @Autowired
    Settings settings;

    @Autowired
    Tenants tenants;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    io.switchboard.database.ClusterSignals signals;

    @Test
    void aChangedSettingIsReadAtOnceAndARolledBackChangeNever() {
        var tenant = tenants.create("Kept Settings");
        tenant.scoped(() -> {
            settings.putJson("llm.base_url", "\"http://first\"");
            assertThat(settings.json("llm.base_url")).contains("\"http://first\"");
            settings.putJson("llm.base_url", "\"http://second\"");
            assertThat(settings.json("llm.base_url")).as("the changing node forgets what it kept").contains("\"http://second\"");

            settings.putSecret("llm.api_key", "sk-one");
            assertThat(settings.secret("llm.api_key")).contains("sk-one");
            try {
                transaction.executeWithoutResult(status -> {
                    settings.putSecret("llm.api_key", "sk-two");
                    assertThat(settings.secret("llm.api_key")).as("its own transaction sees the change").contains("sk-two");
                    throw new IllegalStateException("roll back");
                });
            } catch (IllegalStateException expected) {
                // rolled back
            }
            assertThat(settings.secret("llm.api_key")).as("a rolled back change is never kept").contains("sk-one");
            settings.remove("llm.api_key");
            assertThat(settings.secret("llm.api_key")).isEmpty();
            return null;
        });
    }

    @Test
    void anotherNodesChangeIsSeenOnceItsSignalArrives() throws Exception {
        var tenant = tenants.create("Kept Elsewhere");
        tenant.scoped(() -> {
            settings.putJson("llm.base_url", "\"http://before\"");
            assertThat(settings.json("llm.base_url")).contains("\"http://before\"");
            return null;
        });
        // another node changes the row and signals, as its Settings would
        tenant.scoped(() -> jdbc.sql("update settings set value = '\"http://after\"'::jsonb where key = 'llm.base_url'").update());
        signals.publish("settings_changed", tenant.id().toString());
        long deadline = System.currentTimeMillis() + 5_000;
        String seen = null;
        while (System.currentTimeMillis() < deadline) {
            seen = tenant.scoped(() -> settings.json("llm.base_url").orElse(null));
            if ("\"http://after\"".equals(seen)) {
                break;
            }
            Thread.sleep(50);
        }
        assertThat(seen).isEqualTo("\"http://after\"");
    }
}
