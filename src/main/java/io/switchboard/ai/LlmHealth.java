package io.switchboard.ai;

import io.switchboard.ai.llm.LlmEndpoint;
import io.switchboard.outbound.OutboundFailure;
import io.switchboard.outbound.OutboundHttp;
import io.switchboard.outbound.OutboundResponse;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Whether the organization's LLM connection works: a test call on demand, and the last real failure of an AI
 * turn (from the LLM call ledger), so an administrator sees a broken key before customers do.
 */
@Service
public class LlmHealth {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final LlmConnections connections;
    private final JdbcClient jdbc;
    private final OutboundHttp outbound;

    LlmHealth(LlmConnections connections, JdbcClient jdbc, OutboundHttp outbound) {
        this.connections = connections;
        this.jdbc = jdbc;
        this.outbound = outbound;
    }

    /** The outcome of a test: {@code ok}, else what went wrong ({@code no_key}, {@code http}, {@code unreachable}). */
    public record TestResult(boolean ok, String problem, Integer httpStatus, String detail) {
    }

    /** Asks the provider for its model list with the organization's key: cheap, and it proves URL and key. */
    public TestResult test() {
        Optional<LlmEndpoint> endpoint = connections.current();
        if (endpoint.isEmpty()) {
            return new TestResult(false, "no_key", null, null);
        }
        try {
            // through the outbound guard, like every tenant-set address: a private base URL is refused, not probed
            OutboundResponse response = outbound.send(HttpRequest.newBuilder(URI.create(endpoint.get().baseUrl() + "/models"))
                    .header("Authorization", "Bearer " + endpoint.get().apiKey()).GET().build(), TIMEOUT);
            if (response.successful()) {
                return new TestResult(true, null, response.status(), null);
            }
            String body = response.text();
            return new TestResult(false, "http", response.status(), body.length() > 300 ? body.substring(0, 300) + "…" : body);
        } catch (OutboundFailure e) {
            return new TestResult(false, "unreachable", null, e.getMessage());
        } catch (IllegalArgumentException e) {
            return new TestResult(false, "unreachable", null, "the base URL is not a valid address: " + e.getMessage());
        }
    }

    /** The newest LLM call of an AI turn that failed, and whether any call succeeded after it. */
    public record LastFailure(Instant at, String model, String reason, boolean succeededSince) {
    }

    public Optional<LastFailure> lastFailure() {
        return jdbc.sql("""
                        select f.created_at, f.model, f.error_reason,
                               exists (select 1 from llm_calls s where s.organization_id = f.organization_id
                                       and s.error_reason is null and s.created_at > f.created_at) as succeeded_since
                        from llm_calls f where f.error_reason is not null order by f.created_at desc limit 1""")
                .query((rs, n) -> new LastFailure(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3),
                        rs.getBoolean(4)))
                .optional();
    }
}
