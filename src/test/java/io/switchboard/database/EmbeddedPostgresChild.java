package io.switchboard.database;

import java.nio.file.Path;

/**
 * The embedded PostgreSQL as the application starts it, in a JVM of its own, so a test can kill that JVM
 * abruptly. Prints {@code READY <jdbc url>} once the server accepts connections, then waits to be killed.
 */
public final class EmbeddedPostgresChild {

    private EmbeddedPostgresChild() {
    }

    public static void main(String[] args) throws InterruptedException {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.acquire(Path.of(args[0]), true, false);
        System.out.println("READY " + server.jdbcUrl());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
