package io.switchboard.crm;

import java.util.UUID;

/**
 * How to reach an organization's Kommo account and which stage means a salesperson has the lead.
 *
 * @param baseUrl        account URL without trailing slash, e.g. https://acme.kommo.com
 * @param token          long-lived access token, decrypted; never leaves the server
 * @param handoffStageId Kommo status_id of the human handoff stage
 * @param pipelineId     when set, the handoff stage counts only for leads of this pipeline
 */
record KommoConnection(UUID organizationId, String baseUrl, String token, long handoffStageId, Long pipelineId) {

    /**
     * Whether a lead at {@code statusId} is with a salesperson. An unknown pipeline (a stage stored before,
     * without its pipeline) is judged by the status alone: Kommo status ids are unique per account except
     * the shared won and lost stages, which are never a handoff stage.
     */
    boolean isHandoff(long statusId, Long leadPipelineId) {
        return statusId == handoffStageId
                && (pipelineId == null || leadPipelineId == null || pipelineId.equals(leadPipelineId));
    }

    @Override
    public String toString() {
        // keeps the token out of logs and exception messages
        return "KommoConnection[" + organizationId + ", " + baseUrl + ", handoff " + handoffStageId + "]";
    }
}
