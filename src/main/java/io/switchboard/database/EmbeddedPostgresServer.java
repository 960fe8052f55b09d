package io.switchboard.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server started in-process from the binaries zonky ships in Maven, so that
 * {@code ./mvnw spring-boot:run} needs nothing installed. One server per data directory per JVM, shared
 * by reference count: test contexts reuse it, and the last one to close stops it cleanly.
 */
final class EmbeddedPostgresServer implements AutoCloseable {

    static final String DATABASE = "switchboard";
    static final String ROLE = "switchboard";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final Map<Path, EmbeddedPostgresServer> RUNNING = new HashMap<>();

    private final Path directory;
    private final EmbeddedPostgres postgres;
    private int references;

    private EmbeddedPostgresServer(Path directory, EmbeddedPostgres postgres) {
        this.directory = directory;
        this.postgres = postgres;
    }

    static synchronized EmbeddedPostgresServer acquire(Path dataDir, boolean fsync, boolean cleanStart) {
        Path directory = dataDir.resolve("postgres").toAbsolutePath().normalize();
        EmbeddedPostgresServer server = RUNNING.get(directory);
        if (server == null) {
            server = start(directory, fsync, cleanStart);
            RUNNING.put(directory, server);
        }
        server.references++;
        return server;
    }

    private static EmbeddedPostgresServer start(Path directory, boolean fsync, boolean cleanStart) {
        try {
            if (cleanStart) {
                deleteRecursively(directory);
            }
            Files.createDirectories(directory);
            long started = System.nanoTime();
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(false)
                    .setServerConfig("fsync", fsync ? "on" : "off")
                    .setServerConfig("synchronous_commit", fsync ? "on" : "off")
                    .setServerConfig("full_page_writes", fsync ? "on" : "off")
                    .setServerConfig("max_connections", "200")
                    .setLocaleConfig("locale", "C.UTF-8")
                    // stopped by the application after everything using it has closed, not by a JVM hook racing it
                    .setRegisterShutdownHook(false)
                    .start();
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(directory, postgres);
            server.createApplicationRole();
            log.info("Embedded PostgreSQL ready on port {} in {} ms, data in {} (fsync {})",
                    postgres.getPort(), (System.nanoTime() - started) / 1_000_000, directory, fsync ? "on" : "off");
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + directory
                    + ". Set SWITCHBOARD_DATA_DIR to a writable directory, or SWITCHBOARD_DB_URL for an external database.", e);
        }
    }

    /**
     * The application connects as an ordinary role, not the superuser, because superusers bypass the
     * row-level security that isolates tenants.
     */
    private void createApplicationRole() {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); var s = c.createStatement()) {
            s.execute("do $$ begin if not exists (select from pg_roles where rolname = '" + ROLE + "') then "
                    + "create role " + ROLE + " login password '" + ROLE + "'; end if; end $$");
            // cross-tenant work switches to this role (DatabaseConfiguration); a BYPASSRLS role takes a superuser to create
            s.execute("do $$ begin if not exists (select from pg_roles where rolname = '" + DatabaseConfiguration.SYSTEM_ROLE
                    + "') then create role " + DatabaseConfiguration.SYSTEM_ROLE + " nologin bypassrls; end if; end $$");
            s.execute("grant " + DatabaseConfiguration.SYSTEM_ROLE + " to " + ROLE);
            try (var rs = s.executeQuery("select 1 from pg_database where datname = '" + DATABASE + "'")) {
                if (!rs.next()) {
                    s.execute("create database " + DATABASE + " owner " + ROLE);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not prepare the embedded database: " + e.getMessage(), e);
        }
    }

    String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + DATABASE;
    }

    @Override
    public void close() {
        synchronized (EmbeddedPostgresServer.class) {
            if (--references > 0) {
                return;
            }
            RUNNING.remove(directory);
        }
        try {
            postgres.close();
            log.info("Embedded PostgreSQL stopped");
        } catch (IOException e) {
            log.warn("Embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
