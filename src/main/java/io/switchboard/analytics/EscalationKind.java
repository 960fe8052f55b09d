package io.switchboard.analytics;

import java.util.Locale;

/**
 * Why a conversation left the AI for people, read from the first handoff-like event in its history (its type and
 * the reason text the AI module writes). Shown as a bar per kind in the reports.
 */
public enum EscalationKind {
    /** The customer asked for a person (the escalation trigger's phrases). */
    HUMAN_REQUEST,
    /** The LLM call failed (timeout, quota, provider down…): the fallback fired; see the failure kind. */
    AI_FAILURE,
    /** A tool failed or the AI ran out of tool rounds. */
    TOOL_FAILURE,
    /** Strongly negative sentiment. */
    NEGATIVE_SENTIMENT,
    /** A limit: requests per period, cost, messages per conversation, the agent's conversation capacity. */
    LIMITS,
    /** The CRM said the lead is with a person (Kommo's human handoff stage). */
    CRM,
    /** The AI decided to transfer (the transfer tool), or had nothing to answer with. */
    AI_DECISION,
    /** A person took the conversation over from the AI. */
    PERSON_TOOK_OVER;

    public String db() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind of an escalation event of {@code type} ({@code handed_off}, {@code ai_failed}, …) with its reason. */
    static EscalationKind of(String type, String reason) {
        String text = reason == null ? "" : reason.toLowerCase(Locale.ROOT);
        if ("ai_failed".equals(type)) {
            return AI_FAILURE;
        }
        if ("ai_paused".equals(type) || text.startsWith("crm")) {
            return CRM;
        }
        if ("assigned".equals(type)) {
            return PERSON_TOOK_OVER;
        }
        if (text.contains("asked for a person")) {
            return HUMAN_REQUEST;
        }
        if (text.contains("negative sentiment")) {
            return NEGATIVE_SENTIMENT;
        }
        if (text.contains("tool")) {
            return TOOL_FAILURE;
        }
        if (text.contains("limit") || text.contains("passed") || text.contains("disabled")) {
            return LIMITS;
        }
        return AI_DECISION;
    }
}
