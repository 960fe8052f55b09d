package io.switchboard.knowledge;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.switchboard.identity.Caller;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** What the AI remembers about a contact, for every signed-in person: see, add, correct and delete facts. */
@RestController
@RequestMapping("/api/v1/contacts/{contactId}/memories")
@Tag(name = "Contact memories")
class MemoryApi {

    private final ContactMemories memories;

    MemoryApi(ContactMemories memories) {
        this.memories = memories;
    }

    record FactRequest(String fact) {
    }

    /** The contact's memories are few (at most 100), so one page holds them all. */
    record MemoryPage(List<Memory> items, String nextCursor) {
    }

    @GetMapping
    @Operation(summary = "The contact's memories, newest first")
    MemoryPage list(@PathVariable UUID contactId) {
        return new MemoryPage(memories.of(contactId), null);
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Write a memory about the contact by hand")
    Memory add(@PathVariable UUID contactId, @RequestBody FactRequest body, @AuthenticationPrincipal Caller caller) {
        return memories.add(contactId, body == null ? null : body.fact(), caller.userId());
    }

    @PatchMapping("/{memoryId}")
    @Operation(summary = "Correct a memory")
    Memory edit(@PathVariable UUID contactId, @PathVariable UUID memoryId, @RequestBody FactRequest body,
                @AuthenticationPrincipal Caller caller) {
        return memories.edit(contactId, memoryId, body == null ? null : body.fact(), caller.userId());
    }

    @DeleteMapping("/{memoryId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a memory")
    void delete(@PathVariable UUID contactId, @PathVariable UUID memoryId) {
        memories.forget(contactId, memoryId);
    }
}
