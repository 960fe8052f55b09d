package io.switchboard.ai.tools;

import io.switchboard.database.TenantScope;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import tools.jackson.databind.JsonNode;

/**
 * {@code /api/v1/ai_tools}: the tools the organization's agents can be given, and the organization-wide
 * switch for each ({@code PATCH /api/v1/ai_tools/{slug}} with {@code {"enabled": false}}).
 */
@RestController
@RequestMapping("/api/v1/ai_tools")
class OrganizationToolsApi {

    private final ToolRegistry registry;

    OrganizationToolsApi(ToolRegistry registry) {
        this.registry = registry;
    }

    @GetMapping
    @PreAuthorize("hasRole('AGENT')")
    List<OrganizationTool> list() {
        return registry.organizationTools(TenantScope.requireOrganization());
    }

    @PatchMapping("/{slug}")
    @PreAuthorize("hasRole('ADMIN')")
    OrganizationTool update(@PathVariable String slug, @RequestBody JsonNode body) {
        JsonNode enabled = body == null ? null : body.get("enabled");
        if (enabled == null || !enabled.isBoolean()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "enabled is required and must be true or false");
        }
        return registry.setEnabled(TenantScope.requireOrganization(), slug, enabled.booleanValue());
    }
}
