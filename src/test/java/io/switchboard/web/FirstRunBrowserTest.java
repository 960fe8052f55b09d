package io.switchboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.switchboard.SwitchboardApplication;
import io.switchboard.support.IntegrationTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A production install: Switchboard started with {@code SWITCHBOARD_DB_URL} on a fresh, empty database (a new
 * database in the test PostgreSQL, reached as an external one). No demo workspace, no known password: the first
 * visit lands on the setup page, which creates the organization and its first administrator, who signs in.
 */
@IntegrationTest
class FirstRunBrowserTest {

    private static String superuserPassword;

    @Autowired
    DataSource dataSource;

    @Test
    void aFreshExternalDatabaseInstallHasNoDemoUsersAndTheSetupPageCreatesTheFirstAdmin() throws Exception {
        String url = dataSource.unwrap(HikariDataSource.class).getJdbcUrl();
        superuserPassword = dataSource.unwrap(HikariDataSource.class).getPassword(); // the embedded server's one password
        String database = "fresh_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(url, "postgres", superuserPassword); Statement s = c.createStatement()) {
            s.execute("create database " + database + " owner switchboard");
        }
        String freshUrl = url.substring(0, url.lastIndexOf('/') + 1) + database;

        try (ConfigurableApplicationContext production = new SpringApplicationBuilder(SwitchboardApplication.class).run(
                "--switchboard.db.url=" + freshUrl, "--switchboard.db.user=switchboard", "--switchboard.db.password=" + superuserPassword,
                "--server.port=0", "--switchboard.db.data-dir=target/test-data-first-run",
                "--switchboard.llm.default-api-key=", "--logging.level.root=WARN")) {
            String base = "http://localhost:" + production.getEnvironment().getProperty("local.server.port");
            assertThat(count(freshUrl, "select count(*) from users")).as("users on a fresh external database").isZero();

            try (Browser browser = Browser.open(base)) {
                browser.visit("/?lang=en");
                browser.waitFor(ExpectedConditions.urlContains("/setup"));
                browser.type(By.id("organization"), "Acme Atendimento");
                browser.type(By.id("name"), "Olga Owner");
                browser.type(By.id("email"), "olga@acme.test");
                browser.type(By.id("password"), "first admin password");
                browser.click(By.id("create"));
                browser.waitFor(ExpectedConditions.urlContains("/login"));
                browser.signIn("olga@acme.test", "first admin password");
                assertThat(browser.driver.getCurrentUrl()).contains("/inbox");
                browser.visit("/setup");
                browser.waitFor(ExpectedConditions.urlContains("/login"));
            }
            assertThat(count(freshUrl, "select count(*) from users where instance_operator and role = 'ADMIN'")).isEqualTo(1);
            assertThat(count(freshUrl, "select count(*) from users where email like '%demo.switchboard'")).isZero();
        }
    }

    private static int count(String url, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url, "postgres", superuserPassword); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
