package io.switchboard.contact;

import java.time.Instant;
import java.util.UUID;

/**
 * A customer. {@code crmLeadId} links the contact to a lead in the organization's CRM, whose stage is the
 * source of truth for who handles the lead; {@code crmStageId} is the last stage read from it.
 */
public record Contact(UUID id, UUID organizationId, String name, String phone, String email, String customAttributes,
                      Long crmLeadId, Long crmStageId, Instant crmStageReadAt, Instant createdAt) {

    /** A name to show: the contact's name, else phone, else e-mail. */
    public String displayName() {
        if (name != null && !name.isBlank()) {
            return name;
        }
        return phone != null ? phone : email != null ? email : "—";
    }
}
