package io.switchboard.database;

import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Whose data the current thread may see. Every connection handed out by the application's DataSource
 * carries this scope into PostgreSQL, where row-level security enforces it: code that forgets to
 * filter by organization still cannot see or write another tenant's rows.
 *
 * <p>Set the scope before a transaction starts; a connection takes the scope it was checked out with.
 * {@link #asSystem} is for the few places that must look across tenants before knowing one (resolving a
 * webhook's account, login, schedulers) and should be kept narrow: its connections run as the database's
 * system role (BYPASSRLS), so the tenant policies stay a plain equality that indexes can serve.
 */
public final class TenantScope {

    /** What a connection is allowed to see. */
    record Scope(UUID organizationId, boolean system) {
        static final Scope NONE = new Scope(null, false);
        static final Scope SYSTEM = new Scope(null, true);
    }

    private static final ThreadLocal<Scope> CURRENT = ThreadLocal.withInitial(() -> Scope.NONE);

    private TenantScope() {
    }

    public static <T> T call(UUID organizationId, Supplier<T> work) {
        if (organizationId == null) {
            throw new IllegalArgumentException("organizationId is required for a tenant scope");
        }
        return within(new Scope(organizationId, false), work);
    }

    public static void run(UUID organizationId, Runnable work) {
        call(organizationId, () -> {
            work.run();
            return null;
        });
    }

    public static <T> T asSystem(Supplier<T> work) {
        return within(Scope.SYSTEM, work);
    }

    public static void runAsSystem(Runnable work) {
        asSystem(() -> {
            work.run();
            return null;
        });
    }

    /** Enters a scope for the rest of the thread's work (e.g. a request); pair with {@link #clear()}. */
    public static void enter(UUID organizationId) {
        CURRENT.set(new Scope(organizationId, false));
    }

    public static void clear() {
        CURRENT.remove();
    }

    public static Optional<UUID> currentOrganization() {
        return Optional.ofNullable(CURRENT.get().organizationId());
    }

    /** Whether the thread works as the system (every organization's rows visible), not for one tenant. */
    public static boolean isSystem() {
        return CURRENT.get().system();
    }

    /** The current organization, or an exception naming the programming error. */
    public static UUID requireOrganization() {
        return currentOrganization().orElseThrow(() -> new IllegalStateException("No tenant scope on this thread"));
    }

    static Scope current() {
        return CURRENT.get();
    }

    private static <T> T within(Scope scope, Supplier<T> work) {
        Scope previous = CURRENT.get();
        CURRENT.set(scope);
        try {
            return work.get();
        } finally {
            CURRENT.set(previous);
        }
    }
}
