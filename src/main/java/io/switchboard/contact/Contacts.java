package io.switchboard.contact;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
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

    Contacts(JdbcClient jdbc) {
        this.jdbc = jdbc;
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
        UUID contactId = jdbc.sql("insert into contacts (organization_id, name, phone) values (?, ?, ?) returning id")
                .params(organizationId, blankToNull(displayName), blankToNull(phone)).query(UUID.class).single();
        int inserted = jdbc.sql("""
                        insert into contact_identities (organization_id, contact_id, channel_account_id, identifier, display_name)
                        values (?, ?, ?, ?, ?) on conflict (channel_account_id, identifier) do nothing""")
                .params(organizationId, contactId, channelAccountId, identifier, displayName).update();
        if (inserted == 0) {
            // another request registered this identity first: use its contact, drop ours
            jdbc.sql("delete from contacts where id = ?").param(contactId).update();
            return byIdentity(channelAccountId, identifier).orElseThrow();
        }
        return find(contactId).orElseThrow();
    }

    private Optional<Contact> byIdentity(UUID channelAccountId, String identifier) {
        return jdbc.sql("select " + COLUMNS + " from contacts where id = (select contact_id from contact_identities"
                        + " where channel_account_id = ? and identifier = ?)")
                .params(channelAccountId, identifier).query(Contact.class).optional();
    }

    public Optional<Contact> find(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from contacts where id = ?").param(id).query(Contact.class).optional();
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
        return jdbc.sql("select " + COLUMNS + " from contacts where crm_lead_id = ?").param(leadId).query(Contact.class).list();
    }

    /** Tags the contact, creating the tag in the organization when new. */
    public void tag(UUID id, String tag) {
        UUID organizationId = find(id).orElseThrow().organizationId();
        UUID tagId = jdbc.sql("""
                        insert into tags (organization_id, name) values (?, ?)
                        on conflict (organization_id, name) do update set name = excluded.name returning id""")
                .params(organizationId, tag.trim()).query(UUID.class).single();
        jdbc.sql("insert into contact_tags (organization_id, contact_id, tag_id) values (?, ?, ?) on conflict do nothing")
                .params(organizationId, id, tagId).update();
    }

    public List<String> tags(UUID id) {
        return jdbc.sql("select t.name from contact_tags ct join tags t on t.id = ct.tag_id where ct.contact_id = ? order by t.name")
                .param(id).query(String.class).list();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
