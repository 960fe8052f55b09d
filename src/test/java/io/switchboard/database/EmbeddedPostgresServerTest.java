package io.switchboard.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import org.junit.jupiter.api.Test;

class EmbeddedPostgresServerTest {

    @Test
    void dataWrittenBeforeAStopIsThereAfterTheNextStartWithFsyncOn() throws Exception {
        Path dataDir = Files.createTempDirectory("switchboard-restart");
        try (EmbeddedPostgresServer first = EmbeddedPostgresServer.acquire(dataDir, true, false);
             var c = DriverManager.getConnection(first.jdbcUrl(), EmbeddedPostgresServer.ROLE, EmbeddedPostgresServer.ROLE);
             var s = c.createStatement()) {
            s.execute("create table kept (value text)");
            s.execute("insert into kept values ('survives restarts')");
            try (var rs = s.executeQuery("show fsync")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("on");
            }
        }
        try (EmbeddedPostgresServer second = EmbeddedPostgresServer.acquire(dataDir, true, false);
             var c = DriverManager.getConnection(second.jdbcUrl(), EmbeddedPostgresServer.ROLE, EmbeddedPostgresServer.ROLE);
             var s = c.createStatement(); var rs = s.executeQuery("select value from kept")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("survives restarts");
        }
    }
}
