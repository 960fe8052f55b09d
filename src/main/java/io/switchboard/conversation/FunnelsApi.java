package io.switchboard.conversation;

import io.swagger.v3.oas.annotations.Operation;
import io.switchboard.refusal.InvalidInput;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Funnels and stages over the API: agents read them; administrators create, rename, order, archive and map them. */
@RestController
@RequestMapping("/api/v1/funnels")
class FunnelsApi {

    record Page(List<Funnels.Funnel> items, String nextCursor) {
    }

    record FunnelBody(String name, List<String> stages, Boolean isDefault, Boolean archived) {
    }

    record StageBody(String name, Boolean isHumanHandoff, Boolean archived, Long externalStageId, Integer move) {
    }

    private final Funnels funnels;

    FunnelsApi(Funnels funnels) {
        this.funnels = funnels;
    }

    @GetMapping
    @PreAuthorize("hasRole('AGENT')")
    Page list(@RequestParam(name = "with_archived", defaultValue = "false") boolean withArchived) {
        return new Page(funnels.list(withArchived), null);
    }

    @PostMapping
    @PreAuthorize("hasRole('ADMIN')")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a funnel with its stages in order (is_default: new conversations start in it)")
    Funnels.Funnel create(@RequestBody FunnelBody body) {
        if (body == null) {
            throw new InvalidInput("the body must be a JSON object");
        }
        return funnels.get(funnels.create(body.name(), body.stages() == null ? List.of() : body.stages(),
                Boolean.TRUE.equals(body.isDefault())));
    }

    @PatchMapping("/{id}")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "Rename, make default or archive a funnel; absent fields keep their value")
    Funnels.Funnel update(@PathVariable UUID id, @RequestBody FunnelBody body) {
        if (body == null) {
            throw new InvalidInput("the body must be a JSON object");
        }
        if (body.name() != null) {
            funnels.renameFunnel(id, body.name());
        }
        if (Boolean.TRUE.equals(body.isDefault())) {
            funnels.makeDefault(id);
        }
        if (body.archived() != null) {
            funnels.archiveFunnel(id, body.archived());
        }
        return funnels.get(id);
    }

    @PostMapping("/{id}/stages")
    @PreAuthorize("hasRole('ADMIN')")
    @ResponseStatus(HttpStatus.CREATED)
    Funnels.Stage addStage(@PathVariable UUID id, @RequestBody StageBody body) {
        if (body == null) {
            throw new InvalidInput("the body must be a JSON object");
        }
        return funnels.addStage(id, body.name());
    }

    @PatchMapping("/{id}/stages/{stageId}")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "Rename, move (move: -1 earlier, 1 later), archive, mark as the human-handoff stage or map to a CRM stage")
    Funnels.Stage updateStage(@PathVariable UUID id, @PathVariable UUID stageId, @RequestBody StageBody body) {
        if (body == null) {
            throw new InvalidInput("the body must be a JSON object");
        }
        if (!funnels.stage(stageId).funnelId().equals(id)) {
            throw new io.switchboard.refusal.NotFound("no stage " + stageId + " in funnel " + id);
        }
        if (body.name() != null) {
            funnels.renameStage(stageId, body.name());
        }
        if (body.move() != null && body.move() != 0) {
            funnels.moveStage(stageId, body.move());
        }
        if (body.archived() != null) {
            funnels.archiveStage(stageId, body.archived());
        }
        if (body.isHumanHandoff() != null) {
            funnels.setHandoffStage(stageId, body.isHumanHandoff());
        }
        if (body.externalStageId() != null) {
            funnels.mapToCrmStage(stageId, body.externalStageId() == 0 ? null : body.externalStageId());
        }
        return funnels.stage(stageId);
    }
}
