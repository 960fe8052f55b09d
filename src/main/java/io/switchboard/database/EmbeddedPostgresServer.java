package io.switchboard.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Comparator;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server started in-process from the binaries zonky ships in Maven, so that
 * {@code ./mvnw spring-boot:run} needs nothing installed. One server per data directory per JVM, shared
 * by reference count: test contexts reuse it, and the last one to close stops it cleanly.
 *
 * <p>PostgreSQL runs in its own session, so it outlives an application that is killed ({@code kill -9},
 * the OOM killer). Two things keep such a crash from blocking the next start: a watchdog process that
 * stops the server once the JVM is gone, and, should the server still be running at the next start
 * (the watchdog killed too), that start stops the server left on its own data directory first.
 *
 * <p>Every connection needs a password (scram-sha-256; zonky's initdb trusts every local connection, which let any
 * local user in as the superuser): one generated on the first start and kept beside the server's files in
 * {@code <data dir>/postgres-password}, readable by its owner only. It is the superuser's ({@code postgres}) and the
 * application role's.
 */
final class EmbeddedPostgresServer implements AutoCloseable {

    static final String DATABASE = "switchboard";
    static final String ROLE = "switchboard";
    /** Beside the server's directory (initdb wants that one empty), readable by its owner only. */
    static final String PASSWORD_FILE = "postgres-password";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final Map<Path, EmbeddedPostgresServer> RUNNING = new HashMap<>();

    /** zonky's lock file in the data directory, held by the JVM running the server (released when it dies). */
    private static final String ZONKY_LOCK = "epg-lock";
    private static final Duration STOP_WAIT = Duration.ofSeconds(60);

    private final Path directory;
    private final EmbeddedPostgres postgres;
    private final Process watchdog;
    private final String password;
    private int references;

    private EmbeddedPostgresServer(Path directory, EmbeddedPostgres postgres, Process watchdog, String password) {
        this.directory = directory;
        this.postgres = postgres;
        this.watchdog = watchdog;
        this.password = password;
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
            stopServerLeftByACrash(directory);
            String password = password(directory.resolveSibling(PASSWORD_FILE));
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
                    // zonky checks readiness by connecting as the superuser: once passwords are required, with it
                    .setConnectConfig("password", password)
                    .start();
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(directory, postgres, startWatchdog(directory), password);
            server.createApplicationRole();
            server.requirePasswords();
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
            s.execute("set password_encryption = 'scram-sha-256'");
            // the password is hex: nothing in it needs quoting
            s.execute("alter role postgres password '" + password + "'");
            s.execute("do $$ begin if not exists (select from pg_roles where rolname = '" + ROLE + "') then "
                    + "create role " + ROLE + " login; end if; end $$");
            s.execute("alter role " + ROLE + " password '" + password + "'");
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

    /**
     * Replaces initdb's "trust everyone local" with a password for every connection, socket or TCP, and reloads the
     * configuration (an unchanged file is left alone).
     */
    private void requirePasswords() {
        Path hba = directory.resolve("pg_hba.conf");
        String wanted = """
                # Written by Switchboard at every start: every connection needs the password in ../%s
                # TYPE  DATABASE  USER  ADDRESS        METHOD
                local   all       all                  scram-sha-256
                host    all       all   127.0.0.1/32   scram-sha-256
                host    all       all   ::1/128        scram-sha-256
                """.formatted(PASSWORD_FILE);
        try {
            if (Files.exists(hba) && Files.readString(hba).equals(wanted)) {
                return;
            }
            Files.writeString(hba, wanted);
            try (Connection c = postgres.getPostgresDatabase().getConnection(); var s = c.createStatement()) {
                s.execute("select pg_reload_conf()");
            }
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("Could not require passwords on the embedded database: " + e.getMessage(), e);
        }
    }

    /** The embedded server's password, generated (random, 192 bits) on the first start. */
    static String password(Path file) throws IOException {
        if (Files.exists(file)) {
            String kept = Files.readString(file).trim();
            if (!kept.isEmpty()) {
                return kept;
            }
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String password = HexFormat.of().formatHex(random);
        Files.createDirectories(file.getParent());
        Path written = Files.createTempFile(file.getParent(), ".postgres-password", ".tmp");
        try {
            Files.setPosixFilePermissions(written, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the data directory's own permissions protect it
        }
        Files.writeString(written, password + "\n");
        Files.move(written, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        log.info("Generated the embedded PostgreSQL's password in {}", file);
        return password;
    }

    String password() {
        return password;
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
        if (watchdog != null) {
            watchdog.destroy(); // stopping the server now; nothing left to watch
        }
        try {
            postgres.close();
            log.info("Embedded PostgreSQL stopped");
        } catch (IOException e) {
            log.warn("Embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
        }
    }

    /**
     * A crashed run's server is still running on this data directory when its {@code postmaster.pid} names a
     * live {@code postgres -D <this directory>} while no JVM holds zonky's lock on the directory. It is
     * stopped (fast shutdown: clean, nothing lost that was committed) so this start can take the directory.
     * A pid file naming no live process is stale and removed.
     */
    static void stopServerLeftByACrash(Path directory) throws IOException {
        Path pidFile = directory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        if (!Files.exists(directory.resolve(ZONKY_LOCK))) {
            return; // not a directory zonky ran, so not ours to manage
        }
        if (heldByAnotherProcess(directory.resolve(ZONKY_LOCK))) {
            throw new IllegalStateException("The embedded PostgreSQL data directory " + directory
                    + " is in use by another running Switchboard. Stop it, or set SWITCHBOARD_DATA_DIR to another directory.");
        }
        List<String> lines = Files.readAllLines(pidFile);
        Optional<ProcessHandle> process = lines.isEmpty() ? Optional.empty()
                : parsePid(lines.get(0)).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            log.info("Removing the stale {} of a PostgreSQL that is no longer running", pidFile);
            Files.deleteIfExists(pidFile);
            return;
        }
        if (!servesDirectory(process.get(), directory)) {
            return; // alive but not recognisably our server: PostgreSQL's own lock-file check decides
        }
        ProcessHandle orphan = process.get();
        log.warn("The embedded PostgreSQL of a previous run that did not shut down (PID {}) is still running on {}; stopping it",
                orphan.pid(), directory);
        fastShutdown(orphan);
        try {
            orphan.onExit().get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("The embedded PostgreSQL left running by a previous run (PID " + orphan.pid()
                    + ") did not stop within " + STOP_WAIT.toSeconds() + " s; stop it, then start again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping the embedded PostgreSQL left by a previous run", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        log.info("Stopped the embedded PostgreSQL left by the previous run (PID {})", orphan.pid());
    }

    private static boolean heldByAnotherProcess(Path lockFile) throws IOException {
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE); FileLock lock = channel.tryLock()) {
            return lock == null;
        } catch (OverlappingFileLockException e) {
            return true; // this JVM holds it: the server is running here, RUNNING would have returned it
        }
    }

    private static Optional<Long> parsePid(String line) {
        try {
            return Optional.of(Long.parseLong(line.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Whether the process is a {@code postgres} whose {@code -D} is this directory. */
    private static boolean servesDirectory(ProcessHandle process, Path directory) {
        ProcessHandle.Info info = process.info();
        String[] arguments = info.arguments().orElse(new String[0]);
        boolean postgres = info.command().map(c -> Path.of(c).getFileName().toString().startsWith("postgres")).orElse(false);
        for (int i = 0; postgres && i < arguments.length - 1; i++) {
            if (arguments[i].equals("-D") && sameDirectory(Path.of(arguments[i + 1]), directory)) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameDirectory(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * SIGINT, PostgreSQL's fast shutdown: open transactions are rolled back, everything committed is kept.
     * A signal rather than {@code pg_ctl stop}, which refuses to run as root (containers often are).
     */
    private static void fastShutdown(ProcessHandle server) throws IOException {
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(server.pid()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                server.destroy(); // SIGTERM: a smart shutdown, enough for a server whose clients died with the app
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A small shell loop, outside the JVM, that stops the server with a fast shutdown once this JVM has died
     * without stopping it (on an orderly close it is ended first). Unix only (needs {@code /bin/sh});
     * elsewhere the next start cleans up instead.
     */
    private static Process startWatchdog(Path directory) {
        Path sh = Path.of("/bin/sh");
        if (!Files.isExecutable(sh)) {
            return null;
        }
        try {
            long server = parsePid(Files.readAllLines(directory.resolve("postmaster.pid")).get(0)).orElseThrow();
            String script = "while kill -0 \"$1\" 2>/dev/null; do sleep 1; done; kill -INT \"$2\"";
            return new ProcessBuilder(sh.toString(), "-c", script, "switchboard-postgres-watchdog",
                    Long.toString(ProcessHandle.current().pid()), Long.toString(server))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException | RuntimeException e) {
            log.warn("No watchdog for the embedded PostgreSQL ({}): after a crash the next start stops it instead", e.toString());
            return null;
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
