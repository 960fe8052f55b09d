package io.switchboard.conversation;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The conversations a transaction has read, so the listeners of one customer message (turn scheduling,
 * routing, automations, CSAT, analytics) do not each read the same row again: a webhook read it five times.
 * Every write to {@code conversations} in this module forgets what was remembered, and a locked read always
 * goes to the database; outside a transaction nothing is remembered.
 */
final class ConversationMemo {

    private static final Object KEY = ConversationMemo.class;

    private ConversationMemo() {
    }

    static Optional<Conversation> recalled(UUID id) {
        Map<UUID, Conversation> read = current(false);
        return read == null ? Optional.empty() : Optional.ofNullable(read.get(id));
    }

    static Conversation remember(Conversation conversation) {
        Map<UUID, Conversation> read = current(true);
        if (read != null) {
            read.put(conversation.id(), conversation);
        }
        return conversation;
    }

    /** Called by every write to the conversations table. */
    static void forget() {
        Map<UUID, Conversation> read = current(false);
        if (read != null) {
            read.clear();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<UUID, Conversation> current(boolean create) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()
                || !TransactionSynchronizationManager.isSynchronizationActive()) {
            return null;
        }
        Map<UUID, Conversation> read = (Map<UUID, Conversation>) TransactionSynchronizationManager.getResource(KEY);
        if (read == null && create) {
            Map<UUID, Conversation> fresh = new HashMap<>();
            TransactionSynchronizationManager.bindResource(KEY, fresh);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                // a transaction started inside this one (REQUIRES_NEW) has its own memo
                @Override
                public void suspend() {
                    TransactionSynchronizationManager.unbindResourceIfPossible(KEY);
                }

                @Override
                public void resume() {
                    TransactionSynchronizationManager.bindResource(KEY, fresh);
                }

                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(KEY);
                }
            });
            read = fresh;
        }
        return read;
    }
}
