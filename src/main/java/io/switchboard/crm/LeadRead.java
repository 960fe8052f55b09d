package io.switchboard.crm;

/** What reading a lead from the CRM gave: its stage, the fact that it is gone, or no answer at all. */
sealed interface LeadRead {

    /** The lead exists; {@code statusId} is its stage right now. */
    record Found(long leadId, long statusId, Long pipelineId) implements LeadRead {
    }

    /** The CRM says there is no such lead (404, empty answer, or deleted). */
    record Missing(long leadId, String why) implements LeadRead {
    }

    /** The CRM did not answer usefully (timeout, network, 429, 5xx, bad token); {@code reason} says which. */
    record Unreachable(long leadId, String reason) implements LeadRead {
    }
}
