package io.switchboard.conversation;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The rows a transaction has read or written, so the listeners of one customer message (turn scheduling,
 * routing, automations, CSAT, analytics, media) do not each read the same row again: a webhook read its
 * conversation five times and its message three. Every write to the table in this module forgets what was
 * remembered of it, and a locked read always goes to the database; outside a transaction nothing is remembered.
 */
final class TransactionMemo<T> {

    static final TransactionMemo<Conversation> CONVERSATIONS = new TransactionMemo<>(Conversation::id);
    static final TransactionMemo<Message> MESSAGES = new TransactionMemo<>(Message::id);

    private final Function<T, UUID> idOf;

    private TransactionMemo(Function<T, UUID> idOf) {
        this.idOf = idOf;
    }

    Optional<T> recalled(UUID id) {
        Map<UUID, T> read = current(false);
        return read == null ? Optional.empty() : Optional.ofNullable(read.get(id));
    }

    T remember(T row) {
        Map<UUID, T> read = current(true);
        if (read != null) {
            read.put(idOf.apply(row), row);
        }
        return row;
    }

    /** Called by every write to the table. */
    void forget() {
        Map<UUID, T> read = current(false);
        if (read != null) {
            read.clear();
        }
    }

    @SuppressWarnings("unchecked")
    private Map<UUID, T> current(boolean create) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()
                || !TransactionSynchronizationManager.isSynchronizationActive()) {
            return null;
        }
        Map<UUID, T> read = (Map<UUID, T>) TransactionSynchronizationManager.getResource(this);
        if (read == null && create) {
            Map<UUID, T> fresh = new HashMap<>();
            TransactionSynchronizationManager.bindResource(this, fresh);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                // a transaction started inside this one (REQUIRES_NEW) has its own memo, and may have written
                // what this one remembered (e.g. a delivery flagged unconfirmed): back here, read it all again
                @Override
                public void suspend() {
                    TransactionSynchronizationManager.unbindResourceIfPossible(TransactionMemo.this);
                }

                @Override
                public void resume() {
                    fresh.clear();
                    TransactionSynchronizationManager.bindResource(TransactionMemo.this, fresh);
                }

                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(TransactionMemo.this);
                }
            });
            read = fresh;
        }
        return read;
    }
}
