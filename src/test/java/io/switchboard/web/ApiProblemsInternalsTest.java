package io.switchboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/**
 * Findings L (issue 17): a saturated connection pool is a 503 the client may retry (not a 500 after the full
 * wait), and a database error's text (table, constraint, another tenant's key) never reaches the client.
 */
class ApiProblemsInternalsTest {

    private final ApiProblems problems = new ApiProblems();

    @Test
    void anExhaustedPoolIsA503WithRetryAfter() {
        var response = problems.overloaded(new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection",
                new SQLException("switchboard - Connection is not available, request timed out after 30000ms")));

        assertThat(response.getStatusCode().value()).isEqualTo(503);
        assertThat(response.getHeaders().getFirst("Retry-After")).isEqualTo("5");
        assertThat(response.getBody().getDetail()).doesNotContain("JDBC").doesNotContain("30000");
    }

    @Test
    void aConstraintViolationSaysNothingOfTheDatabase() {
        var problem = problems.integrity(new DataIntegrityViolationException("x", new SQLException(
                "ERROR: insert or update on table \"conversations\" violates foreign key constraint \"conversations_agent_id_fkey\" "
                        + "Detail: Key (agent_id)=(6f1c…) is not present in table \"users\".")));

        assertThat(problem.getStatus()).isEqualTo(400);
        assertThat(problem.getDetail()).doesNotContain("conversations").doesNotContain("constraint").doesNotContain("users");
    }
}
