package io.switchboard.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresServerTest {

    @Test
    void everyConnectionNeedsTheGeneratedPasswordEvenTheSuperusers(@TempDir Path dataDir) throws Exception {
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.acquire(dataDir, false, false)) {
            Path file = dataDir.resolve(EmbeddedPostgresServer.PASSWORD_FILE);
            assertThat(Files.readString(file).trim()).isEqualTo(server.password()).hasSize(48);
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                        .isEqualTo("rw-------");
            }
            for (String user : new String[] {"postgres", EmbeddedPostgresServer.ROLE}) {
                assertThatThrownBy(() -> DriverManager.getConnection(server.jdbcUrl(), user, "").close())
                        .as(user + " without a password").hasMessageContaining("password");
                assertThatThrownBy(() -> DriverManager.getConnection(server.jdbcUrl(), user, "switchboard").close())
                        .as(user + " with the old fixed password").hasMessageContaining("password authentication failed");
                try (var c = DriverManager.getConnection(server.jdbcUrl(), user, server.password())) {
                    assertThat(c.isValid(1)).isTrue();
                }
            }
        }
        // a restart keeps the password (and zonky's readiness check passes with it)
        try (EmbeddedPostgresServer again = EmbeddedPostgresServer.acquire(dataDir, false, false)) {
            assertThat(again.password()).isEqualTo(Files.readString(dataDir.resolve(EmbeddedPostgresServer.PASSWORD_FILE)).trim());
        }
    }

    @Test
    void dataWrittenBeforeAStopIsThereAfterTheNextStartWithFsyncOn(@TempDir Path dataDir) throws Exception {
        try (EmbeddedPostgresServer first = EmbeddedPostgresServer.acquire(dataDir, true, false);
             var c = DriverManager.getConnection(first.jdbcUrl(), EmbeddedPostgresServer.ROLE, first.password());
             var s = c.createStatement()) {
            s.execute("create table kept (value text)");
            s.execute("insert into kept values ('survives restarts')");
            try (var rs = s.executeQuery("show fsync")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("on");
            }
        }
        assertThat(keptValue(dataDir)).isEqualTo("survives restarts");
    }

    @Test
    void whenTheApplicationIsKilledItsDatabaseStopsAndTheNextStartFindsTheData(@TempDir Path dataDir) throws Exception {
        Process app = startInAnotherJvm(dataDir);
        writeKeptRow(app, dataDir);
        long postgres = postmasterPid(dataDir).orElseThrow();

        app.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: no shutdown hook, no close

        // the watchdog outside the JVM stops the server the dead JVM can no longer stop
        await().atMost(Duration.ofSeconds(30)).until(() -> ProcessHandle.of(postgres).map(p -> !p.isAlive()).orElse(true));
        assertThat(keptValue(dataDir)).isEqualTo("survives restarts");
    }

    @Test
    void aDatabaseLeftRunningByAKilledApplicationIsStoppedByTheNextStartWithItsDataIntact(@TempDir Path dataDir) throws Exception {
        Process app = startInAnotherJvm(dataDir);
        writeKeptRow(app, dataDir);
        long postgres = postmasterPid(dataDir).orElseThrow();
        List<ProcessHandle> watchdogs = app.descendants().toList();

        app.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        watchdogs.forEach(ProcessHandle::destroyForcibly); // the watchdog dies too (a whole process group killed)
        assertThat(ProcessHandle.of(postgres).map(ProcessHandle::isAlive)).as("the orphaned PostgreSQL").contains(true);

        assertThat(keptValue(dataDir)).isEqualTo("survives restarts");
        assertThat(ProcessHandle.of(postgres).map(ProcessHandle::isAlive).orElse(false)).as("the orphan was stopped").isFalse();
    }

    /** {@link EmbeddedPostgresChild} in a JVM of its own, on the given data directory, once it is ready. */
    private static Process startInAnotherJvm(Path dataDir) throws IOException, InterruptedException {
        Path log = dataDir.resolve("child.log");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), EmbeddedPostgresChild.class.getName(), dataDir.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (Files.readString(log).contains("READY ")) {
                return child;
            }
            if (!child.isAlive()) {
                throw new IllegalStateException("the child JVM exited: " + Files.readString(log));
            }
            Thread.sleep(100);
        }
        child.destroyForcibly();
        throw new IllegalStateException("the child JVM's PostgreSQL was not ready: " + Files.readString(log));
    }

    private static void writeKeptRow(Process child, Path dataDir) throws Exception {
        String log = Files.readString(dataDir.resolve("child.log"));
        String url = log.substring(log.indexOf("READY ") + 6).lines().findFirst().orElseThrow().trim();
        try (var c = DriverManager.getConnection(url, EmbeddedPostgresServer.ROLE,
                EmbeddedPostgresServer.password(dataDir.resolve(EmbeddedPostgresServer.PASSWORD_FILE)));
             var s = c.createStatement()) {
            s.execute("create table kept (value text)");
            s.execute("insert into kept values ('survives restarts')");
        }
        assertThat(child.isAlive()).isTrue();
    }

    /** Starts the server on the directory in this JVM and reads the row back. */
    private static String keptValue(Path dataDir) throws Exception {
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.acquire(dataDir, true, false);
             var c = DriverManager.getConnection(server.jdbcUrl(), EmbeddedPostgresServer.ROLE, server.password());
             var s = c.createStatement(); var rs = s.executeQuery("select value from kept")) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    private static Optional<Long> postmasterPid(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postgres").resolve("postmaster.pid");
        return Files.exists(pidFile) ? Optional.of(Long.parseLong(Files.readAllLines(pidFile).get(0).trim())) : Optional.empty();
    }
}
