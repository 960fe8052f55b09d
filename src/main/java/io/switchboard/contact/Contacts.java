package io.switchboard.contact;

import io.switchboard.database.RecordRows;
import io.switchboard.refusal.Conflict;
import io.switchboard.refusal.InvalidInput;
import io.switchboard.refusal.NotFound;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Finds and keeps customers; every method works inside the caller's tenant scope. */
@Service
public class Contacts {

    private static final String COLUMNS = """
            id, organization_id, name, phone, email, custom_attributes::text as custom_attributes,
            crm_lead_id, crm_stage_id, crm_stage_read_at, created_at""";

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;

    Contacts(JdbcClient jdbc, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    /**
     * A duplicate contact was merged into another, in the merge's transaction: modules that keep rows about contacts
     * move the duplicate's rows to the kept contact (or refuse, rolling the merge back).
     */
    public record Merged(UUID organizationId, UUID keptId, UUID duplicateId) {
    }

    /**
     * The contact behind a channel identity, created on first contact. Safe under concurrent webhooks for
     * the same person: the identity's unique key decides, and the loser reads the winner's contact.
     */
    @Transactional
    public Contact findOrCreateByIdentity(UUID organizationId, UUID channelAccountId, String identifier,
                                          String displayName, String phone) {
        Optional<Contact> known = byIdentity(channelAccountId, identifier);
        if (known.isPresent()) {
            Contact contact = known.get();
            if ((contact.name() == null || contact.name().isBlank()) && displayName != null && !displayName.isBlank()) {
                jdbc.sql("update contacts set name = ?, updated_at = now() where id = ?").params(displayName, contact.id()).update();
                return find(contact.id()).orElseThrow();
            }
            return contact;
        }
        Contact created = jdbc.sql("insert into contacts (organization_id, name, phone) values (?, ?, ?) returning " + COLUMNS)
                .params(organizationId, blankToNull(displayName), blankToNull(phone)).query(RecordRows.of(Contact.class)).single();
        int inserted = jdbc.sql("""
                        insert into contact_identities (organization_id, contact_id, channel_account_id, identifier, display_name)
                        values (?, ?, ?, ?, ?) on conflict (channel_account_id, identifier) do nothing""")
                .params(organizationId, created.id(), channelAccountId, identifier, displayName).update();
        if (inserted == 0) {
            // another request registered this identity first: use its contact, drop ours
            jdbc.sql("delete from contacts where id = ?").param(created.id()).update();
            return byIdentity(channelAccountId, identifier).orElseThrow();
        }
        return created;
    }

    private Optional<Contact> byIdentity(UUID channelAccountId, String identifier) {
        return jdbc.sql("select " + COLUMNS + " from contacts where id = (select contact_id from contact_identities"
                        + " where channel_account_id = ? and identifier = ?)")
                .params(channelAccountId, identifier).query(RecordRows.of(Contact.class)).optional();
    }

    public Optional<Contact> find(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from contacts where id = ?").param(id).query(RecordRows.of(Contact.class)).optional();
    }

    /** Several contacts in one read (a page of conversations), by id; ids that name no contact are left out. */
    public java.util.Map<UUID, Contact> findAll(java.util.Collection<UUID> ids) {
        java.util.Map<UUID, Contact> found = new java.util.HashMap<>();
        jdbc.sql("select " + COLUMNS + " from contacts where id = any(?)").param(ids.toArray(UUID[]::new))
                .query(RecordRows.of(Contact.class)).list().forEach(contact -> found.put(contact.id(), contact));
        return found;
    }

    /** The handle to write to this contact on a channel account (phone, WhatsApp id, visitor id). */
    public Optional<String> identifierOn(UUID contactId, UUID channelAccountId) {
        return jdbc.sql("select identifier from contact_identities where contact_id = ? and channel_account_id = ? limit 1")
                .params(contactId, channelAccountId).query(String.class).optional();
    }

    /** Updates the given fields; null leaves a field as it is. */
    public Optional<Contact> update(UUID id, String name, String email, String phone) {
        jdbc.sql("""
                update contacts set name = coalesce(?, name), email = coalesce(?, email), phone = coalesce(?, phone),
                       updated_at = now() where id = ?""")
                .params(name, email, phone, id).update();
        return find(id);
    }

    public void linkCrmLead(UUID id, Long leadId) {
        jdbc.sql("update contacts set crm_lead_id = ?, updated_at = now() where id = ?").params(leadId, id).update();
    }

    /** Records the stage the CRM reported for the contact's lead. */
    public void recordCrmStage(UUID id, Long stageId) {
        jdbc.sql("update contacts set crm_stage_id = ?, crm_stage_read_at = now(), updated_at = now() where id = ?")
                .params(stageId, id).update();
    }

    public List<Contact> findByCrmLead(long leadId) {
        return jdbc.sql("select " + COLUMNS + " from contacts where crm_lead_id = ?").param(leadId).query(RecordRows.of(Contact.class)).list();
    }

    /** Tags the contact, creating the tag in the organization when new. */
    public void tag(UUID id, String tag) {
        UUID organizationId = find(id).orElseThrow().organizationId();
        // one tag per name whatever the case, as on conversations: "VIP" finds the existing "vip"
        UUID tagId = jdbc.sql("select id from tags where organization_id = ? and lower(name) = lower(?) order by created_at limit 1")
                .params(organizationId, tag.trim()).query(UUID.class).optional()
                .orElseGet(() -> jdbc.sql("""
                        insert into tags (organization_id, name) values (?, ?)
                        on conflict (organization_id, name) do update set name = excluded.name returning id""")
                .params(organizationId, tag.trim()).query(UUID.class).single());
        jdbc.sql("insert into contact_tags (organization_id, contact_id, tag_id) values (?, ?, ?) on conflict do nothing")
                .params(organizationId, id, tagId).update();
    }

    public List<String> tags(UUID id) {
        return jdbc.sql("select t.name from contact_tags ct join tags t on t.id = ct.tag_id where ct.contact_id = ? order by t.name")
                .param(id).query(String.class).list();
    }

    /** The tags of several contacts in one read, each contact's by name; a contact without tags has none in the map. */
    public java.util.Map<UUID, List<String>> tagsOf(java.util.Collection<UUID> ids) {
        java.util.Map<UUID, List<String>> tags = new java.util.HashMap<>();
        jdbc.sql("select ct.contact_id, t.name from contact_tags ct join tags t on t.id = ct.tag_id where ct.contact_id = any(?) order by t.name")
                .param(ids.toArray(UUID[]::new))
                .query(rs -> {
                    tags.computeIfAbsent(rs.getObject(1, UUID.class), id -> new java.util.ArrayList<>()).add(rs.getString(2));
                });
        return tags;
    }

    /** Takes a tag off the contact, whatever its case. */
    public void untag(UUID id, String tag) {
        jdbc.sql("delete from contact_tags ct using tags t where ct.contact_id = ? and t.id = ct.tag_id and lower(t.name) = lower(?)")
                .params(id, tag.trim()).update();
    }

    /** Contacts (not merged away) whose name, phone or e-mail contains {@code query} (all when blank), newest first. */
    public List<Contact> search(String query, int limit) {
        String q = query == null ? "" : query.strip();
        String digits = q.replaceAll("\\D", "");
        return jdbc.sql("select " + COLUMNS + " from contacts where merged_into is null and (? = ''"
                        + " or name ilike '%' || ? || '%' or email ilike '%' || ? || '%'"
                        + " or (? <> '' and regexp_replace(coalesce(phone, ''), '\\D', '', 'g') like '%' || ? || '%'))"
                        + " order by created_at desc limit ?")
                .params(q, q, q, digits, digits, limit).query(RecordRows.of(Contact.class)).list();
    }

    /** Other contacts that look like the same person: same phone digits, same e-mail or same name. */
    public List<Contact> possibleDuplicates(UUID id) {
        Contact contact = get(id);
        return jdbc.sql("select " + COLUMNS + " from contacts where id <> ? and merged_into is null and ("
                        + " (? <> '' and regexp_replace(coalesce(phone, ''), '\\D', '', 'g') = ?)"
                        + " or (? <> '' and lower(email) = ?) or (? <> '' and lower(name) = ?)) order by created_at limit 20")
                .params(id, digits(contact.phone()), digits(contact.phone()), lower(contact.email()), lower(contact.email()),
                        lower(contact.name()), lower(contact.name()))
                .query(RecordRows.of(Contact.class)).list();
    }

    public Contact get(UUID id) {
        return find(id).orElseThrow(() -> new NotFound("no contact " + id));
    }

    /**
     * Sets the contact's details as given (blank clears a field); {@code customAttributesJson} replaces the custom
     * attributes when not null and must be a JSON object.
     */
    @Transactional
    public Contact edit(UUID id, String name, String phone, String email, String customAttributesJson) {
        get(id);
        if (email != null && !email.isBlank() && !email.strip().matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
            throw new InvalidInput("email '" + email.strip() + "' is not an e-mail address");
        }
        if (phone != null && !phone.isBlank() && !phone.strip().matches("\\+?[0-9 ()./-]{6,20}")) {
            throw new InvalidInput("phone '" + phone.strip() + "' is not a phone number (digits, optionally starting with +)");
        }
        if (name != null && name.length() > 200) {
            throw new InvalidInput("name must be at most 200 characters");
        }
        try {
            jdbc.sql("""
                            update contacts set name = ?, phone = ?, email = ?,
                                   custom_attributes = coalesce(?::jsonb, custom_attributes), updated_at = now()
                            where id = ? and (?::jsonb is null or jsonb_typeof(?::jsonb) = 'object')""")
                    .params(blankToNull(name == null ? null : name.strip()), blankToNull(phone == null ? null : phone.strip()),
                            blankToNull(email == null ? null : email.strip()), customAttributesJson, id, customAttributesJson,
                            customAttributesJson)
                    .update();
        } catch (org.springframework.dao.DataIntegrityViolationException e) {
            throw new InvalidInput("custom_attributes must be a JSON object");
        }
        return get(id);
    }

    /**
     * Merges {@code duplicateId} into {@code keptId}: the duplicate's channel identities, tags and missing details
     * (name, phone, e-mail, custom attributes the kept one lacks) move to the kept contact, other modules move their
     * rows ({@link Merged}), and the duplicate stays only as a pointer ({@code merged_into}) to the kept one.
     */
    @Transactional
    public Contact merge(UUID keptId, UUID duplicateId) {
        if (keptId.equals(duplicateId)) {
            throw new InvalidInput("a contact cannot be merged into itself");
        }
        Contact kept = get(keptId);
        Contact duplicate = get(duplicateId);
        if (jdbc.sql("select merged_into is not null from contacts where id = ?").param(duplicateId).query(Boolean.class).single()) {
            throw new Conflict("contact " + duplicateId + " was already merged into another");
        }
        jdbc.sql("""
                        update contacts k set name = coalesce(k.name, d.name), phone = coalesce(k.phone, d.phone),
                               email = coalesce(k.email, d.email), custom_attributes = d.custom_attributes || k.custom_attributes,
                               crm_lead_id = coalesce(k.crm_lead_id, d.crm_lead_id), crm_stage_id = coalesce(k.crm_stage_id, d.crm_stage_id),
                               updated_at = now()
                        from contacts d where k.id = ? and d.id = ?""")
                .params(keptId, duplicateId).update();
        jdbc.sql("update contact_identities set contact_id = ? where contact_id = ?").params(keptId, duplicateId).update();
        jdbc.sql("""
                        insert into contact_tags (organization_id, contact_id, tag_id)
                        select organization_id, ?, tag_id from contact_tags where contact_id = ? on conflict do nothing""")
                .params(keptId, duplicateId).update();
        jdbc.sql("delete from contact_tags where contact_id = ?").param(duplicateId).update();
        jdbc.sql("update contacts set merged_into = ?, updated_at = now() where id = ?").params(keptId, duplicateId).update();
        events.publishEvent(new Merged(kept.organizationId(), keptId, duplicate.id()));
        return get(keptId);
    }

    private static String digits(String phone) {
        return phone == null ? "" : phone.replaceAll("\\D", "");
    }

    private static String lower(String text) {
        return text == null ? "" : text.strip().toLowerCase(java.util.Locale.ROOT);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
