package io.switchboard.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.support.IntegrationTest;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Rows of the real PostgreSQL read into records the way every module's {@code query(RecordRows.of(...))} reads them. */
@IntegrationTest
class RecordRowsTest {

    record Reading(UUID id, String customerName, Instant takenAt, long pointCount, boolean active, BigDecimal costUsd,
                   Instant closedAt) {
    }

    record Aliased(String displayName) {
    }

    @Autowired
    JdbcClient jdbc;

    @Test
    void eachComponentComesFromItsSnakeCaseColumnWithTimesAsInstants() {
        UUID id = UUID.randomUUID();
        List<Reading> rows = jdbc.sql("""
                        select ?::uuid as id, 'Conceição' as customer_name, timestamptz '2026-12-04 10:15:30.123456+00' as taken_at,
                               42::bigint as point_count, true as active, 0.0125::numeric as cost_usd,
                               null::timestamptz as closed_at
                        from generate_series(1, 3)""")
                .param(id).query(RecordRows.of(Reading.class)).list();

        assertThat(rows).hasSize(3).allSatisfy(row -> assertThat(row).isEqualTo(new Reading(id, "Conceição",
                Instant.parse("2026-12-04T10:15:30.123456Z"), 42, true, new BigDecimal("0.0125"), null)));
    }

    @Test
    void aColumnNamedLikeTheComponentItselfIsFoundToo() {
        assertThat(jdbc.sql("select 'Ana' as \"displayName\"").query(RecordRows.of(Aliased.class)).single())
                .isEqualTo(new Aliased("Ana"));
    }

    @Test
    void aComponentWithoutAColumnIsAnErrorNotASilentNull() {
        assertThatThrownBy(() -> jdbc.sql("select 'Ana' as name").query(RecordRows.of(Aliased.class)).single())
                .hasRootCauseMessage("The column name displayName was not found in this ResultSet.");
    }
}
