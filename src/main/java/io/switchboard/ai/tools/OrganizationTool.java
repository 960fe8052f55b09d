package io.switchboard.ai.tools;

import java.util.UUID;

/**
 * A tool as one organization has it ({@code ai_tools} row): the system tool mirrored per organization so
 * agents can be assigned it, and the organization's switch to turn it off for all its agents.
 */
public record OrganizationTool(UUID id, String slug, String name, String description, String toolType,
                               boolean enabled) {
}
