package io.switchboard.routing;

import java.util.List;

/**
 * What a create or update sends; a null field keeps its value (on create: the default). A zero
 * {@code maxConversations} or {@code stickyWindowMinutes} removes the bound / turns sticky return off;
 * {@code businessHours} without any window removes the hours (always open).
 */
public record DepartmentDraft(String name, Integer maxConversations, AssignmentMethod assignmentMethod, Boolean autoAssign,
                    Boolean assignToAiAgent, Integer stickyWindowMinutes, Boolean isDefault, List<String> specialties,
                              BusinessHours businessHours) {
}
