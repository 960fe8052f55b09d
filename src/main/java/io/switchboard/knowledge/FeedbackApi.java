package io.switchboard.knowledge;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.switchboard.refusal.InvalidInput;
import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Feedback records for supervisors (ADMIN): complaints, requests for a person, unhelpful answers, praise, suggestions. */
@RestController
@RequestMapping("/api/v1/feedback_records")
@PreAuthorize("hasRole('ADMIN')")
@Tag(name = "Feedback")
class FeedbackApi {

    private final FeedbackRecords records;

    FeedbackApi(FeedbackRecords records) {
        this.records = records;
    }

    @GetMapping
    @Operation(summary = "Feedback records, newest first (filters: kind, ai_agent_id, conversation_id)")
    FeedbackRecords.Page list(@RequestParam(required = false) String kind, @RequestParam(name = "ai_agent_id", required = false) UUID aiAgentId,
                              @RequestParam(name = "conversation_id", required = false) UUID conversationId,
                              @RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit) {
        return records.list(new FeedbackRecords.Filter(kind(kind), aiAgentId, conversationId), cursor, limit == null ? 50 : limit);
    }

    static Feedback.Kind kind(String kind) {
        if (kind == null || kind.isBlank()) {
            return null;
        }
        try {
            return Feedback.Kind.of(kind);
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("kind must be one of " + Arrays.stream(Feedback.Kind.values()).map(Feedback.Kind::db)
                    .collect(Collectors.joining(", ")));
        }
    }
}
