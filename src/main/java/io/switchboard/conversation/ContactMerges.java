package io.switchboard.conversation;

import io.switchboard.contact.Contacts;
import io.switchboard.refusal.Conflict;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A merged contact's conversations move to the contact it was merged into, in the merge's transaction. Two open
 * conversations on the same channel account cannot both belong to one contact: the merge is refused until one closes.
 */
@Component
class ContactMerges {

    private final JdbcClient jdbc;

    ContactMerges(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventListener
    void onMerged(Contacts.Merged merged) {
        boolean clash = jdbc.sql("""
                        select exists (select 1 from conversations d join conversations k on k.channel_account_id = d.channel_account_id
                        where d.contact_id = ? and k.contact_id = ? and d.status <> 'closed' and k.status <> 'closed')""")
                .params(merged.duplicateId(), merged.keptId()).query(Boolean.class).single();
        if (clash) {
            throw new Conflict("both contacts have an open conversation on the same channel; close one of them, then merge");
        }
        TransactionMemo.CONVERSATIONS.forget();
        jdbc.sql("update conversations set contact_id = ?, updated_at = now() where contact_id = ?")
                .params(merged.keptId(), merged.duplicateId()).update();
    }
}
