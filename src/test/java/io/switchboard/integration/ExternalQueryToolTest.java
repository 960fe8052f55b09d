package io.switchboard.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.support.ApiClient;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.Tenants;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Admin-defined queries on an external PostgreSQL — a second database on the embedded server, read by a role
 * that could write — run read-only, within their timeout and row limit.
 */
@IntegrationTest
class ExternalQueryToolTest {

    @Autowired
    Tenants tenants;

    @Autowired
    ApiClient api;

    @Autowired
    DataSource dataSource;

    @Autowired
    JsonMapper json;

    String serverUrl;
    String superuserPassword;
    String shopUrl;
    String reader;
    Tenants.Tenant tenant;
    String integrationId;

    @BeforeEach
    void aShopDatabaseWithFiftyCustomers() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            serverUrl = c.getMetaData().getURL().replaceAll("/[^/?]+(\\?.*)?$", "");
        }
        superuserPassword = dataSource.unwrap(com.zaxxer.hikari.HikariDataSource.class).getPassword(); // the embedded server's one password
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String database = "shop_" + suffix;
        reader = "shop_reader_" + suffix;
        try (Connection admin = DriverManager.getConnection(serverUrl + "/postgres", "postgres", superuserPassword); var s = admin.createStatement()) {
            s.execute("create database " + database);
            s.execute("create role " + reader + " login password 'reader-pw'");
        }
        shopUrl = serverUrl + "/" + database;
        try (Connection shop = DriverManager.getConnection(shopUrl, "postgres", superuserPassword); var s = shop.createStatement()) {
            s.execute("create table customers (id serial primary key, email text not null, name text not null, points int not null)");
            s.execute("insert into customers (email, name, points) select 'c' || i || '@example.com', 'Cliente ' || i, i * 10 "
                    + "from generate_series(1, 50) i");
            // the reader may write: only the read-only transaction stops the tool from doing it
            s.execute("grant select, insert, update, delete on customers to " + reader);
            s.execute("grant usage on sequence customers_id_seq to " + reader);
        }
        tenant = tenants.create("External DB");
        var created = api.post("/api/v1/integrations", tenant.adminToken(), Map.of("kind", "database", "name", "Loja (PostgreSQL)",
                "settings", Map.of("jdbc_url", shopUrl, "username", reader), "secrets", Map.of("password", "reader-pw")));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).doesNotContain("reader-pw");
        integrationId = created.json().get("id").asString();
    }

    @Test
    void testConnectionOpensAReadOnlyTransaction() {
        var tested = api.post("/api/v1/integrations/" + integrationId + "/test_connection", tenant.adminToken(), Map.of());
        assertThat(tested.status()).isEqualTo(200);
        assertThat(tested.json().get("ok").asBoolean()).as(tested.body()).isTrue();
        assertThat(api.get("/api/v1/integrations/" + integrationId, tenant.adminToken()).json().get("last_test_ok").asBoolean()).isTrue();
    }

    @Test
    void aParameterisedQueryReturnsTheCustomersRow() {
        defineTool("consultar_pontos", "select name, points from customers where email = :email",
                Map.of("email", Map.of("type", "string")), 2, 10);

        JsonNode outcome = trial("consultar_pontos", Map.of("email", "c7@example.com"));

        assertThat(outcome.get("success").asBoolean()).as(outcome.toString()).isTrue();
        JsonNode result = json.readTree(outcome.get("content").asString());
        assertThat(result.get("columns").toString()).isEqualTo("[\"name\",\"points\"]");
        assertThat(result.get("rows").get(0).get("name").asString()).isEqualTo("Cliente 7");
        assertThat(result.get("rows").get(0).get("points").asInt()).isEqualTo(70);
        assertThat(result.get("truncated").asBoolean()).isFalse();
    }

    @Test
    void theRowLimitCutsTheResultAndSaysSo() {
        defineTool("listar_clientes", "select id, email from customers order by id", Map.of(), 2, 10);

        JsonNode result = json.readTree(trial("listar_clientes", Map.of()).get("content").asString());

        assertThat(result.get("rows")).hasSize(10);
        assertThat(result.get("truncated").asBoolean()).isTrue();
    }

    @Test
    void aWriteAttemptFailsInTheReadOnlyTransactionAndChangesNothing() throws SQLException {
        defineTool("cadastrar_cliente", "insert into customers (email, name, points) values (:email, 'Intruso', 0) returning id",
                Map.of("email", Map.of("type", "string")), 2, 10);
        defineTool("apagar_clientes", "with gone as (delete from customers returning id) select count(*) from gone", Map.of(), 2, 10);

        JsonNode insert = trial("cadastrar_cliente", Map.of("email", "x@example.com"));
        JsonNode delete = trial("apagar_clientes", Map.of());

        assertThat(insert.get("success").asBoolean()).isFalse();
        assertThat(insert.get("content").asString()).contains("read-only transaction");
        assertThat(delete.get("success").asBoolean()).isFalse();
        assertThat(delete.get("content").asString()).contains("read-only transaction");
        try (Connection shop = DriverManager.getConnection(shopUrl, "postgres", superuserPassword);
             var rs = shop.createStatement().executeQuery("select count(*) from customers")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(50);
        }
    }

    @Test
    void aQueryOverItsTimeoutIsCancelled() {
        defineTool("consulta_lenta", "select pg_sleep(:segundos)", Map.of("segundos", Map.of("type", "number")), 1, 10);

        long started = System.nanoTime();
        JsonNode outcome = trial("consulta_lenta", Map.of("segundos", 5));

        assertThat(outcome.get("success").asBoolean()).isFalse();
        assertThat(outcome.get("content").asString()).contains("took longer than 1000 ms");
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(4000);
    }

    @Test
    void aQueryOfSeveralStatementsOrWithUndeclaredParametersIsRefusedWhenSaved() {
        var twoStatements = api.post("/api/v1/ai_tools", tenant.adminToken(), tool("duas", "select 1; delete from customers", Map.of(), 1, 10));
        assertThat(twoStatements.status()).isEqualTo(400);
        assertThat(twoStatements.body()).contains("single statement");
        var undeclared = api.post("/api/v1/ai_tools", tenant.adminToken(), tool("sem_param", "select * from customers where id = :id", Map.of(), 1, 10));
        assertThat(undeclared.status()).isEqualTo(400);
        assertThat(undeclared.body()).contains(":id");
    }

    private void defineTool(String slug, String sql, Map<String, Object> properties, int timeoutSeconds, int maxRows) {
        var created = api.post("/api/v1/ai_tools", tenant.adminToken(), tool(slug, sql, properties, timeoutSeconds, maxRows));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
    }

    private Map<String, Object> tool(String slug, String sql, Map<String, Object> properties, int timeoutSeconds, int maxRows) {
        return Map.of("slug", slug, "type", "sql", "description", "Consulta a base da loja",
                "parameters", Map.of("type", "object", "properties", properties, "required", List.copyOf(properties.keySet())),
                "config", Map.of("integration_id", integrationId, "sql", sql, "timeout_seconds", timeoutSeconds, "max_rows", maxRows));
    }

    private JsonNode trial(String slug, Map<String, Object> arguments) {
        var outcome = api.post("/api/v1/ai_tools/" + slug + "/test", tenant.adminToken(), Map.of("arguments", arguments));
        assertThat(outcome.status()).as(outcome.body()).isEqualTo(200);
        return outcome.json();
    }
}
