-- Analytics (issue 13): read models written only by the analytics module, refreshed by its job from the ledgers
-- (llm_calls, ai_tool_calls), conversations, messages and conversation events. Days are the organization's
-- local days (its report time zone), so a report never has to scan the raw tables.

-- LLM usage per local day and per dimension a report filters by (dimensions as of the refresh).
create table analytics_llm_daily (
    organization_id      uuid not null references organizations(id) on delete cascade,
    day                  date not null,
    ai_agent_id          uuid,
    channel_account_id   uuid,
    department_id        uuid,
    user_id              uuid,
    calls                integer not null,
    failed_calls         integer not null,
    unknown_price_calls  integer not null,
    prompt_tokens        bigint not null,
    cached_tokens        bigint not null,
    completion_tokens    bigint not null,
    -- the sum over calls with a known price; unknown_price_calls says how many are missing from it
    cost_usd             numeric(16, 6) not null,
    latency_ms_total     bigint not null
);
create index analytics_llm_daily_day_idx on analytics_llm_daily (organization_id, day);

-- Tool calls per local day, tool and dimension.
create table analytics_tool_daily (
    organization_id      uuid not null references organizations(id) on delete cascade,
    day                  date not null,
    ai_agent_id          uuid,
    channel_account_id   uuid,
    department_id        uuid,
    user_id              uuid,
    tool                 text not null,
    calls                integer not null,
    failures             integer not null,
    duration_ms_total    bigint not null,
    timed_calls          integer not null
);
create index analytics_tool_daily_day_idx on analytics_tool_daily (organization_id, day);

-- One row per conversation: what happened in it, classified once (escalation kind, resolution), on the local
-- day it was opened. Percentiles of response times are computed over these rows.
create table analytics_conversation_facts (
    conversation_id           uuid primary key references conversations(id) on delete cascade,
    organization_id           uuid not null references organizations(id) on delete cascade,
    day                       date not null,
    channel_account_id        uuid,
    department_id             uuid,
    ai_agent_id               uuid,
    user_id                   uuid,
    ai_answered               boolean not null,
    escalated                 boolean not null,
    escalation_kind           text,
    ai_failure_kind           text,
    fallback                  boolean not null,
    ai_first_response_ms      bigint,
    person_first_response_ms  bigint,
    ai_resolution_ms          bigint,
    person_resolution_ms      bigint,
    resolution                text check (resolution in ('confirmed', 'assumed', 'not_resolved', 'reversed', 'pending')),
    llm_calls                 integer not null,
    unknown_price_calls       integer not null,
    prompt_tokens             bigint not null,
    cached_tokens             bigint not null,
    completion_tokens         bigint not null,
    cost_usd                  numeric(16, 6) not null,
    refreshed_at              timestamptz not null default now()
);
create index analytics_conversation_facts_day_idx on analytics_conversation_facts (organization_id, day);
create index analytics_conversation_facts_pending_idx on analytics_conversation_facts (organization_id) where resolution = 'pending';

-- CSAT: a survey sent when a conversation closes, and the customer's answer, attributed to whoever handled it.
create table csat_surveys (
    id                      uuid primary key default gen_random_uuid(),
    organization_id         uuid not null references organizations(id) on delete cascade,
    conversation_id         uuid not null references conversations(id) on delete cascade,
    contact_id              uuid not null,
    channel_account_id      uuid not null,
    ai_agent_id             uuid,
    user_id                 uuid,
    scale                   text not null check (scale in ('numeric', 'emoji')),
    message_id              uuid,
    sent_at                 timestamptz not null default now(),
    score                   smallint check (score between 1 and 5),
    answered_at             timestamptz,
    answer_message_id       uuid,
    answer_conversation_id  uuid
);
create index csat_surveys_open_idx on csat_surveys (contact_id, channel_account_id, sent_at desc) where score is null;
create index csat_surveys_time_idx on csat_surveys (organization_id, sent_at);
create index csat_surveys_conversation_idx on csat_surveys (conversation_id);

-- Conversations changed since the last refresh, marked by the analytics module's listener in the transaction
-- that changed them (ConversationChanged), consumed by the refresh job.
create table analytics_dirty_conversations (
    conversation_id  uuid primary key,
    organization_id  uuid not null references organizations(id) on delete cascade,
    marked_at        timestamptz not null default now()
);
create index analytics_dirty_conversations_org_idx on analytics_dirty_conversations (organization_id);

-- The refresh reads the tool ledger of recent days per organization; without this it would scan the whole ledger.
create index if not exists ai_tool_calls_org_time_idx on ai_tool_calls (organization_id, created_at);

-- How far each organization's read models are refreshed, and in which time zone their days were cut.
create table analytics_refresh_state (
    organization_id    uuid primary key references organizations(id) on delete cascade,
    time_zone          text not null,
    refreshed_through  timestamptz not null
);

do $$
declare
    t text;
begin
    foreach t in array array['analytics_llm_daily', 'analytics_tool_daily', 'analytics_conversation_facts',
                             'csat_surveys', 'analytics_refresh_state', 'analytics_dirty_conversations']
    loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format('create policy tenant_isolation on %I using (switchboard_visible(organization_id)) '
                       'with check (switchboard_visible(organization_id))', t);
    end loop;
end
$$;
