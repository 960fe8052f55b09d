package io.switchboard.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.database.TenantScope;
import io.switchboard.support.IntegrationTest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * V5 on a database that already delivered split messages: the part ids kept in {@code metadata.provider_part_ids}
 * become {@code message_parts} rows (what status callbacks look up now). Runs the real migrations into a
 * throw-away schema of the test database, with data inserted between V3 and V5.
 */
@IntegrationTest
class MessagePartsMigrationTest {

    @Autowired
    DataSource dataSource;

    @Test
    void partIdsKeptInMessageMetadataBecomeRowsAndTheRestOfTheMetadataStays() {
        String schema = "v5_check_" + UUID.randomUUID().toString().substring(0, 8);
        TenantScope.runAsSystem(() -> {
            try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement()) {
                try {
                    // the schema is created by the application's own role (system scope's role may not create
                    // schemas); rows are written as that tenant, as the old (V3) and the new policies both allow
                    sql.execute("reset role");
                    sql.execute("set switchboard.organization_id = '00000000-0000-0000-0000-00000000000a'");
                    migrate(connection, schema, "3");
                    sql.execute("set search_path to " + schema);
                    sql.execute("""
                            insert into organizations (id, name, slug) values ('00000000-0000-0000-0000-00000000000a', 'Old', 'old');
                            insert into contacts (id, organization_id, name) values
                                ('00000000-0000-0000-0000-00000000000b', '00000000-0000-0000-0000-00000000000a', 'Maria');
                            insert into channel_accounts (id, organization_id, type, name) values
                                ('00000000-0000-0000-0000-00000000000c', '00000000-0000-0000-0000-00000000000a', 'twilio', 'Twilio');
                            insert into conversations (id, organization_id, contact_id, channel_account_id, channel_type) values
                                ('00000000-0000-0000-0000-00000000000d', '00000000-0000-0000-0000-00000000000a',
                                 '00000000-0000-0000-0000-00000000000b', '00000000-0000-0000-0000-00000000000c', 'twilio');
                            insert into messages (id, organization_id, conversation_id, channel_account_id, direction, sender_type,
                                                  content, status, provider_message_id, metadata) values
                                ('00000000-0000-0000-0000-0000000000e1', '00000000-0000-0000-0000-00000000000a',
                                 '00000000-0000-0000-0000-00000000000d', '00000000-0000-0000-0000-00000000000c', 'outbound',
                                 'ai_agent', 'long answer', 'sent', 'SMpartA',
                                 '{"final_before_handoff": true, "provider_part_ids": ["SMpartA", "SMpartB", "SMpartC"]}'),
                                ('00000000-0000-0000-0000-0000000000e2', '00000000-0000-0000-0000-00000000000a',
                                 '00000000-0000-0000-0000-00000000000d', '00000000-0000-0000-0000-00000000000c', 'outbound',
                                 'agent', 'short answer', 'delivered', 'SMsingle', '{}');
                            """);

                    sql.execute("reset search_path"); // Flyway puts the schema before it; extensions live in public
                    migrate(connection, schema, null);
                    sql.execute("set search_path to " + schema);

                    assertThat(rows(sql, """
                            select message_id || ':' || part_index || ':' || provider_message_id || ':' || (accepted_at is not null)
                            from message_parts order by message_id, part_index""")).containsExactly(
                            "00000000-0000-0000-0000-0000000000e1:0:SMpartA:true",
                            "00000000-0000-0000-0000-0000000000e1:1:SMpartB:true",
                            "00000000-0000-0000-0000-0000000000e1:2:SMpartC:true");
                    assertThat(rows(sql, "select metadata::text from messages order by id"))
                            .containsExactly("{\"final_before_handoff\": true}", "{}");
                    // the statuses of a delivery under way and of one nobody can confirm are now allowed
                    assertThat(sql.executeUpdate("update messages set status = 'sending' where id = '00000000-0000-0000-0000-0000000000e2'"))
                            .isEqualTo(1);
                    assertThat(sql.executeUpdate("update messages set status = 'unconfirmed' where id = '00000000-0000-0000-0000-0000000000e2'"))
                            .isEqualTo(1);
                } finally {
                    sql.execute("reset switchboard.organization_id");
                    sql.execute("reset search_path");
                    sql.execute("drop schema if exists " + schema + " cascade");
                    // back to the system scope this pooled connection was handed out in (the pool remembers it)
                    sql.execute("set role switchboard_system");
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static void migrate(Connection connection, String schema, String target) {
        var configuration = Flyway.configure().dataSource(new SingleConnectionDataSource(connection, true))
                .schemas(schema).defaultSchema(schema).locations("classpath:db/migration");
        if (target != null) {
            configuration.target(target);
        }
        configuration.load().migrate();
    }

    private static List<String> rows(Statement sql, String query) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (ResultSet rs = sql.executeQuery(query)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
