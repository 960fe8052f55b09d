package io.switchboard.contact;

import io.swagger.v3.oas.annotations.Operation;
import io.switchboard.refusal.InvalidInput;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/** Contacts over the API: search, read, edit, tags, merge a duplicate. People with the agent role and up. */
@RestController
@RequestMapping("/api/v1/contacts")
class ContactsApi {

    record ContactView(UUID id, String name, String phone, String email, Map<String, Object> customAttributes, List<String> tags,
                       Long crmLeadId, Long crmStageId) {
    }

    record Page(List<ContactView> items, String nextCursor) {
    }

    record EditBody(String name, String phone, String email, Map<String, Object> customAttributes) {
    }

    record MergeBody(UUID duplicateId) {
    }

    record TagBody(String tag) {
    }

    private final Contacts contacts;
    private final JsonMapper json;

    ContactsApi(Contacts contacts, JsonMapper json) {
        this.contacts = contacts;
        this.json = json;
    }

    @GetMapping
    @PreAuthorize("hasRole('AGENT')")
    @Operation(summary = "Contacts whose name, phone or e-mail contains q (all when absent), newest first")
    Page search(@RequestParam(required = false) String q, @RequestParam(defaultValue = "50") int limit) {
        if (limit < 1 || limit > 500) {
            throw new InvalidInput("limit must be between 1 and 500");
        }
        return new Page(contacts.search(q, limit).stream().map(this::view).toList(), null);
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasRole('AGENT')")
    ContactView get(@PathVariable UUID id) {
        return view(contacts.get(id));
    }

    @PatchMapping("/{id}")
    @PreAuthorize("hasRole('AGENT')")
    @Operation(summary = "Edit name, phone, e-mail (absent: unchanged, empty: cleared) and replace custom_attributes")
    ContactView edit(@PathVariable UUID id, @RequestBody EditBody body) {
        if (body == null) {
            throw new InvalidInput("the body must be a JSON object");
        }
        Contact current = contacts.get(id);
        return view(contacts.edit(id, body.name() != null ? body.name() : current.name(),
                body.phone() != null ? body.phone() : current.phone(), body.email() != null ? body.email() : current.email(),
                body.customAttributes() == null ? null : json.writeValueAsString(body.customAttributes())));
    }

    @PostMapping("/{id}/merge")
    @PreAuthorize("hasRole('AGENT')")
    @Operation(summary = "Merge the contact duplicate_id into this one: its conversations, identities, tags and activities move here")
    ContactView merge(@PathVariable UUID id, @RequestBody MergeBody body) {
        if (body == null || body.duplicateId() == null) {
            throw new InvalidInput("duplicate_id is required");
        }
        return view(contacts.merge(id, body.duplicateId()));
    }

    @PostMapping("/{id}/tags")
    @PreAuthorize("hasRole('AGENT')")
    @ResponseStatus(HttpStatus.CREATED)
    ContactView tag(@PathVariable UUID id, @RequestBody TagBody body) {
        if (body == null || body.tag() == null || body.tag().isBlank() || body.tag().length() > 100) {
            throw new InvalidInput("tag is required (at most 100 characters)");
        }
        contacts.get(id);
        contacts.tag(id, body.tag());
        return view(contacts.get(id));
    }

    @DeleteMapping("/{id}/tags/{tag}")
    @PreAuthorize("hasRole('AGENT')")
    ContactView untag(@PathVariable UUID id, @PathVariable String tag) {
        contacts.untag(contacts.get(id).id(), tag);
        return view(contacts.get(id));
    }

    @SuppressWarnings("unchecked")
    private ContactView view(Contact c) {
        Map<String, Object> attributes = c.customAttributes() == null ? Map.of() : json.readValue(c.customAttributes(), Map.class);
        return new ContactView(c.id(), c.name(), c.phone(), c.email(), attributes, contacts.tags(c.id()), c.crmLeadId(), c.crmStageId());
    }
}
