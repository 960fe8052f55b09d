package io.switchboard.conversation;

import io.switchboard.database.RecordRows;
import io.switchboard.database.TenantScope;
import io.switchboard.refusal.InvalidInput;
import io.switchboard.refusal.NotFound;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The organization's sales funnels and their stages, which conversations move through (new conversations start
 * in the default funnel's first stage that is not archived; a stage may mark the human handoff, and may map to a
 * CRM stage). Archived funnels and stages keep their conversations and are offered no more.
 */
@Service
public class Funnels {

    /** A stage; {@code externalStageId} is the CRM's (Kommo status_id) it mirrors. */
    public record Stage(UUID id, UUID funnelId, String name, int position, Long externalStageId, boolean isHumanHandoff,
                        Instant archivedAt) {
    }

    public record Funnel(UUID id, String name, boolean isDefault, Instant archivedAt, List<Stage> stages) {
    }

    private final JdbcClient jdbc;

    Funnels(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Creates the organization's default funnel with its stages in order; the stage at
     * {@code humanHandoffPosition} (or none, when negative) is where a person takes the lead over.
     *
     * @return the funnel's id
     */
    @Transactional
    public UUID createDefault(String name, List<String> stageNames, int humanHandoffPosition) {
        UUID funnel = create(name, stageNames, true);
        if (humanHandoffPosition >= 0 && humanHandoffPosition < stageNames.size()) {
            jdbc.sql("update funnel_stages set is_human_handoff = true where funnel_id = ? and position = ?")
                    .params(funnel, humanHandoffPosition).update();
        }
        return funnel;
    }

    /** A new funnel with its stages in order; the first funnel of an organization is its default. */
    @Transactional
    public UUID create(String name, List<String> stageNames, boolean makeDefault) {
        UUID organizationId = TenantScope.requireOrganization();
        boolean first = jdbc.sql("select not exists (select 1 from funnels where archived_at is null)").query(Boolean.class).single();
        UUID funnel = jdbc.sql("insert into funnels (organization_id, name, is_default) values (?, ?, false) returning id")
                .params(organizationId, name(name)).query(UUID.class).single();
        for (String stage : stageNames) {
            addStage(funnel, stage);
        }
        if (makeDefault || first) {
            makeDefault(funnel);
        }
        return funnel;
    }

    public List<Funnel> list(boolean withArchived) {
        Map<UUID, List<Stage>> stages = jdbc.sql("""
                        select id, funnel_id, name, position, external_stage_id, is_human_handoff, archived_at from funnel_stages
                        where ? or archived_at is null order by position""")
                .param(withArchived).query(RecordRows.of(Stage.class)).list().stream()
                .collect(Collectors.groupingBy(Stage::funnelId, Collectors.toList()));
        return jdbc.sql("select id, name, is_default, archived_at from funnels where ? or archived_at is null order by is_default desc, created_at")
                .param(withArchived)
                .query((rs, n) -> {
                    UUID id = rs.getObject("id", UUID.class);
                    return new Funnel(id, rs.getString("name"), rs.getBoolean("is_default"),
                            rs.getTimestamp("archived_at") == null ? null : rs.getTimestamp("archived_at").toInstant(),
                            stages.getOrDefault(id, List.of()));
                }).list();
    }

    public Funnel get(UUID funnelId) {
        return list(true).stream().filter(f -> f.id().equals(funnelId)).findFirst()
                .orElseThrow(() -> new NotFound("no funnel " + funnelId));
    }

    /** Whether {@code stageId} is a stage of this organization, neither it nor its funnel archived. */
    public boolean isLiveStage(UUID stageId) {
        return jdbc.sql("""
                select count(*) from funnel_stages s join funnels f on f.id = s.funnel_id
                where s.id = ? and s.archived_at is null and f.archived_at is null""").param(stageId).query(Integer.class).single() > 0;
    }

    public Stage stage(UUID stageId) {
        return jdbc.sql("select id, funnel_id, name, position, external_stage_id, is_human_handoff, archived_at from funnel_stages where id = ?")
                .param(stageId).query(RecordRows.of(Stage.class)).optional().orElseThrow(() -> new NotFound("no funnel stage " + stageId));
    }

    @Transactional
    public void renameFunnel(UUID funnelId, String name) {
        if (jdbc.sql("update funnels set name = ? where id = ?").params(name(name), funnelId).update() == 0) {
            throw new NotFound("no funnel " + funnelId);
        }
    }

    /** The funnel new conversations start in (one per organization). */
    @Transactional
    public void makeDefault(UUID funnelId) {
        get(funnelId);
        jdbc.sql("update funnels set is_default = (id = ?) where organization_id = (select organization_id from funnels where id = ?)")
                .params(funnelId, funnelId).update();
    }

    @Transactional
    public void archiveFunnel(UUID funnelId, boolean archived) {
        if (archived && get(funnelId).isDefault()) {
            throw new InvalidInput("the default funnel cannot be archived; make another funnel the default first");
        }
        jdbc.sql("update funnels set archived_at = case when ? then coalesce(archived_at, now()) end where id = ?")
                .params(archived, funnelId).update();
    }

    /** Adds a stage at the end of the funnel. */
    @Transactional
    public Stage addStage(UUID funnelId, String name) {
        UUID id = jdbc.sql("""
                        insert into funnel_stages (organization_id, funnel_id, name, position)
                        select organization_id, id, ?, (select coalesce(max(position) + 1, 0) from funnel_stages where funnel_id = ?)
                        from funnels where id = ? returning id""")
                .params(name(name), funnelId, funnelId).query(UUID.class).optional()
                .orElseThrow(() -> new NotFound("no funnel " + funnelId));
        return stage(id);
    }

    @Transactional
    public Stage renameStage(UUID stageId, String name) {
        if (jdbc.sql("update funnel_stages set name = ? where id = ?").params(name(name), stageId).update() == 0) {
            throw new NotFound("no funnel stage " + stageId);
        }
        return stage(stageId);
    }

    /** Moves the stage one place earlier ({@code -1}) or later ({@code 1}) in its funnel. */
    @Transactional
    public void moveStage(UUID stageId, int direction) {
        Stage stage = stage(stageId);
        jdbc.sql(direction < 0
                        ? "select id, position from funnel_stages where funnel_id = ? and position < ? order by position desc limit 1"
                        : "select id, position from funnel_stages where funnel_id = ? and position > ? order by position limit 1")
                .params(stage.funnelId(), stage.position())
                .query((rs, n) -> new Object[] {rs.getObject(1, UUID.class), rs.getInt(2)}).optional()
                .ifPresent(other -> {
                    // swap through a free position: (funnel_id, position) is unique
                    jdbc.sql("update funnel_stages set position = -1 - position where id = ?").param(stageId).update();
                    jdbc.sql("update funnel_stages set position = ? where id = ?").params(stage.position(), other[0]).update();
                    jdbc.sql("update funnel_stages set position = ? where id = ?").params(other[1], stageId).update();
                });
    }

    @Transactional
    public void archiveStage(UUID stageId, boolean archived) {
        stage(stageId);
        jdbc.sql("update funnel_stages set archived_at = case when ? then coalesce(archived_at, now()) end where id = ?")
                .params(archived, stageId).update();
    }

    /** Makes this stage its funnel's human-handoff stage (the only one), or none when {@code handoff} is false. */
    @Transactional
    public void setHandoffStage(UUID stageId, boolean handoff) {
        Stage stage = stage(stageId);
        jdbc.sql("update funnel_stages set is_human_handoff = (id = ? and ?) where funnel_id = ?")
                .params(stageId, handoff, stage.funnelId()).update();
    }

    /** Maps the stage to a CRM stage id (Kommo status_id), or unmaps it with null. */
    @Transactional
    public void mapToCrmStage(UUID stageId, Long externalStageId) {
        stage(stageId);
        jdbc.sql("update funnel_stages set external_stage_id = ? where id = ?").params(externalStageId, stageId).update();
    }

    private static String name(String name) {
        if (name == null || name.isBlank() || name.length() > 100) {
            throw new InvalidInput("name is required (at most 100 characters)");
        }
        return name.strip();
    }
}
