package io.switchboard.ai.turn;

import java.util.Set;
import java.util.UUID;

/**
 * Ends the turn's durable job in the transaction that stores its answer, when no customer message is left for
 * it to answer — one commit fewer per turn than completing the job after the turn. Decided under the
 * conversation's lock, like the completion it replaces: a message stored after that commit finds no job and
 * schedules its own turn.
 */
@FunctionalInterface
interface TurnJobEnding {

    /** For a turn run outside a job: there is nothing to end. */
    TurnJobEnding NONE = seen -> false;

    /**
     * Called inside the answer's transaction with the customer messages the turn took up.
     *
     * @return whether the job is gone (its completion then has nothing left to do)
     */
    boolean endUnlessOwed(Set<UUID> seen);
}
