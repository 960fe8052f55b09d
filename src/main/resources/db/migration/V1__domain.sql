-- The whole domain of SPEC §2. Every tenant-owned table carries organization_id and is guarded by
-- row-level security (see the end of this file), so isolation is enforced by the database itself.

create table organizations (
    id          uuid primary key default gen_random_uuid(),
    name        text not null,
    slug        text not null unique,
    locale      text not null default 'pt-BR',
    created_at  timestamptz not null default now()
);

create table users (
    id                 uuid primary key default gen_random_uuid(),
    organization_id    uuid not null references organizations(id) on delete cascade,
    email              text not null,
    name               text not null,
    password_hash      text not null,
    role               text not null check (role in ('ADMIN', 'AGENT')),
    active             boolean not null default true,
    available          boolean not null default true,
    locale             text,
    max_conversations  integer,
    last_assigned_at   timestamptz,
    created_at         timestamptz not null default now()
);
-- Login is by e-mail alone, so an e-mail names one user across the whole installation.
create unique index users_email_key on users (lower(email));
create index users_organization_idx on users (organization_id);

create table api_tokens (
    id               uuid primary key default gen_random_uuid(),
    organization_id  uuid not null references organizations(id) on delete cascade,
    user_id          uuid references users(id) on delete cascade,
    name             text not null,
    token_hash       text not null unique,
    token_prefix     text not null,
    role             text not null check (role in ('ADMIN', 'AGENT')),
    created_at       timestamptz not null default now(),
    last_used_at     timestamptz,
    revoked_at       timestamptz
);
create index api_tokens_organization_idx on api_tokens (organization_id);

-- Organization settings; secret values are encrypted by the application (AES-GCM) before storage.
create table settings (
    organization_id  uuid not null references organizations(id) on delete cascade,
    key              text not null,
    value            jsonb,
    secret           text,
    updated_at       timestamptz not null default now(),
    primary key (organization_id, key)
);

create table departments (
    id                 uuid primary key default gen_random_uuid(),
    organization_id    uuid not null references organizations(id) on delete cascade,
    name               text not null,
    max_conversations  integer,
    created_at         timestamptz not null default now(),
    unique (organization_id, name)
);

create table user_departments (
    organization_id  uuid not null references organizations(id) on delete cascade,
    user_id          uuid not null references users(id) on delete cascade,
    department_id    uuid not null references departments(id) on delete cascade,
    primary key (user_id, department_id)
);

create table funnels (
    id               uuid primary key default gen_random_uuid(),
    organization_id  uuid not null references organizations(id) on delete cascade,
    name             text not null,
    is_default       boolean not null default false,
    created_at       timestamptz not null default now()
);
create index funnels_organization_idx on funnels (organization_id);

create table funnel_stages (
    id                 uuid primary key default gen_random_uuid(),
    organization_id    uuid not null references organizations(id) on delete cascade,
    funnel_id          uuid not null references funnels(id) on delete cascade,
    name               text not null,
    position           integer not null,
    -- the stage's id in an external CRM (Kommo status_id), and whether it means "with a human"
    external_stage_id  bigint,
    is_human_handoff   boolean not null default false,
    created_at         timestamptz not null default now(),
    unique (funnel_id, position)
);

create table contacts (
    id                 uuid primary key default gen_random_uuid(),
    organization_id    uuid not null references organizations(id) on delete cascade,
    name               text,
    phone              text,
    email              text,
    custom_attributes  jsonb not null default '{}'::jsonb,
    -- CRM link (Kommo lead) and the last stage read from it: the CRM is the source of truth
    crm_lead_id        bigint,
    crm_stage_id       bigint,
    crm_stage_read_at  timestamptz,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now()
);
create index contacts_organization_idx on contacts (organization_id);
create index contacts_phone_idx on contacts (organization_id, phone);
create index contacts_crm_lead_idx on contacts (organization_id, crm_lead_id);

create table ai_agents (
    id                     uuid primary key default gen_random_uuid(),
    organization_id        uuid not null references organizations(id) on delete cascade,
    name                   text not null,
    description            text,
    agent_type             text not null default 'SUPPORT',
    prompt                 text not null default '',
    model                  text not null default 'gpt-4o-mini',
    temperature            numeric(3, 2) not null default 0.7 check (temperature between 0 and 2),
    max_tokens             integer not null default 1000 check (max_tokens > 0),
    enabled                boolean not null default true,
    max_conversations      integer,
    current_conversations  integer not null default 0,
    settings               jsonb not null default '{}'::jsonb,
    created_at             timestamptz not null default now(),
    updated_at             timestamptz not null default now()
);
create index ai_agents_organization_idx on ai_agents (organization_id);

create table channel_accounts (
    id                    uuid primary key default gen_random_uuid(),
    organization_id       uuid not null references organizations(id) on delete cascade,
    type                  text not null check (type in ('twilio', 'meta_cloud', 'evolution', 'webchat', 'api')),
    name                  text not null,
    -- non-secret provider configuration; secrets live encrypted in secrets
    config                jsonb not null default '{}'::jsonb,
    secrets               text,
    default_ai_agent_id   uuid references ai_agents(id) on delete set null,
    -- the human queue tab for conversations from this account (SPEC §4)
    queue_tab             text not null default 'SUPPORT' check (queue_tab in ('WHATSAPP', 'SUPPORT')),
    reopen_closed         boolean not null default true,
    inactivity_close_minutes integer,
    enabled               boolean not null default true,
    created_at            timestamptz not null default now(),
    updated_at            timestamptz not null default now()
);
create index channel_accounts_organization_idx on channel_accounts (organization_id);

create table contact_identities (
    id                  uuid primary key default gen_random_uuid(),
    organization_id     uuid not null references organizations(id) on delete cascade,
    contact_id          uuid not null references contacts(id) on delete cascade,
    channel_account_id  uuid not null references channel_accounts(id) on delete cascade,
    -- the provider's handle for the person: E.164 phone, WhatsApp id, web chat visitor id...
    identifier          text not null,
    display_name        text,
    created_at          timestamptz not null default now(),
    unique (channel_account_id, identifier)
);
create index contact_identities_contact_idx on contact_identities (contact_id);

create table conversations (
    id                        uuid primary key default gen_random_uuid(),
    organization_id           uuid not null references organizations(id) on delete cascade,
    contact_id                uuid not null references contacts(id) on delete cascade,
    channel_account_id        uuid not null references channel_accounts(id) on delete cascade,
    -- origin: the channel type it came from, and the human queue tab that origin maps to
    channel_type              text not null,
    queue_tab                 text not null default 'SUPPORT' check (queue_tab in ('WHATSAPP', 'SUPPORT')),
    status                    text not null default 'open' check (status in ('open', 'pending', 'waiting', 'closed')),
    agent_id                  uuid references users(id) on delete set null,
    ai_agent_id               uuid references ai_agents(id) on delete set null,
    department_id             uuid references departments(id) on delete set null,
    funnel_id                 uuid references funnels(id) on delete set null,
    stage_id                  uuid references funnel_stages(id) on delete set null,
    priority                  text not null default 'normal' check (priority in ('low', 'normal', 'high', 'urgent')),
    metadata                  jsonb not null default '{}'::jsonb,
    ai_disabled               boolean not null default false,
    ai_disabled_reason        text,
    ai_disabled_until         timestamptz,
    requires_human_attention  boolean not null default false,
    ai_failure_at             timestamptz,
    last_message_at           timestamptz,
    last_customer_message_at  timestamptz,
    first_response_at         timestamptz,
    closed_at                 timestamptz,
    created_at                timestamptz not null default now(),
    updated_at                timestamptz not null default now()
);
-- At most one conversation not yet closed per contact and channel account.
create unique index conversations_one_active_idx on conversations (contact_id, channel_account_id) where status <> 'closed';
create index conversations_inbox_idx on conversations (organization_id, status, queue_tab, last_message_at desc);
create index conversations_agent_idx on conversations (organization_id, agent_id) where agent_id is not null;
create index conversations_contact_idx on conversations (contact_id);

create table messages (
    id                   uuid primary key default gen_random_uuid(),
    organization_id      uuid not null references organizations(id) on delete cascade,
    conversation_id      uuid not null references conversations(id) on delete cascade,
    channel_account_id   uuid not null references channel_accounts(id) on delete cascade,
    direction            text not null check (direction in ('inbound', 'outbound', 'internal')),
    sender_type          text not null check (sender_type in ('contact', 'agent', 'ai_agent', 'system')),
    sender_id            uuid,
    ai_agent_id          uuid references ai_agents(id) on delete set null,
    content              text,
    content_type         text not null default 'text',
    -- attachments: [{url, content_type, provider_media_id}]
    media                jsonb not null default '[]'::jsonb,
    private              boolean not null default false,
    status               text not null default 'received'
                         check (status in ('received', 'scheduled', 'queued', 'sent', 'delivered', 'read', 'failed', 'discarded')),
    provider_message_id  text,
    error_code           text,
    error_reason         text,
    metadata             jsonb not null default '{}'::jsonb,
    created_at           timestamptz not null default now(),
    updated_at           timestamptz not null default now()
);
-- A provider's retry of the same message changes nothing: one row per provider message id.
create unique index messages_provider_id_key on messages (channel_account_id, provider_message_id);
create index messages_conversation_idx on messages (conversation_id, created_at, id);

create table ai_tools (
    id               uuid primary key default gen_random_uuid(),
    organization_id  uuid not null references organizations(id) on delete cascade,
    slug             text not null,
    name             text not null,
    description      text not null,
    tool_type        text not null default 'system',
    -- OpenAI function schema of the arguments
    parameters       jsonb not null default '{"type":"object","properties":{}}'::jsonb,
    config           jsonb not null default '{}'::jsonb,
    enabled          boolean not null default true,
    created_at       timestamptz not null default now(),
    unique (organization_id, slug)
);

create table ai_agent_tools (
    organization_id  uuid not null references organizations(id) on delete cascade,
    ai_agent_id      uuid not null references ai_agents(id) on delete cascade,
    ai_tool_id       uuid not null references ai_tools(id) on delete cascade,
    config           jsonb not null default '{}'::jsonb,
    enabled          boolean not null default true,
    primary key (ai_agent_id, ai_tool_id)
);

create table ai_conversations (
    id                    uuid primary key default gen_random_uuid(),
    organization_id       uuid not null references organizations(id) on delete cascade,
    conversation_id       uuid not null references conversations(id) on delete cascade,
    ai_agent_id           uuid not null references ai_agents(id) on delete cascade,
    messages              jsonb not null default '[]'::jsonb,
    tools_used            jsonb not null default '[]'::jsonb,
    tokens_prompt         bigint not null default 0,
    tokens_completion     bigint not null default 0,
    tokens_cached         bigint not null default 0,
    tokens_used           bigint not null default 0,
    -- null while any call's price was unknown: an unknown cost is not a zero cost
    cost                  numeric(14, 6),
    cost_unknown          boolean not null default false,
    status                text not null default 'active' check (status in ('active', 'completed', 'escalated')),
    escalated_to_user_id  uuid references users(id) on delete set null,
    escalation_reason     text,
    created_at            timestamptz not null default now(),
    updated_at            timestamptz not null default now(),
    unique (conversation_id, ai_agent_id)
);

-- One row per LLM call: the ledger behind every token and cent.
create table llm_calls (
    id                  uuid primary key default gen_random_uuid(),
    organization_id     uuid not null references organizations(id) on delete cascade,
    conversation_id     uuid references conversations(id) on delete cascade,
    ai_agent_id         uuid references ai_agents(id) on delete set null,
    model               text not null,
    prompt_tokens       integer not null default 0,
    completion_tokens   integer not null default 0,
    cached_tokens       integer not null default 0,
    latency_ms          integer not null default 0,
    cost_usd            numeric(14, 6),
    outcome             text not null,
    error_reason        text,
    created_at          timestamptz not null default now()
);
create index llm_calls_org_time_idx on llm_calls (organization_id, created_at);
create index llm_calls_agent_time_idx on llm_calls (ai_agent_id, created_at);

create table tags (
    id               uuid primary key default gen_random_uuid(),
    organization_id  uuid not null references organizations(id) on delete cascade,
    name             text not null,
    color            text,
    created_at       timestamptz not null default now(),
    unique (organization_id, name)
);

create table conversation_tags (
    organization_id  uuid not null references organizations(id) on delete cascade,
    conversation_id  uuid not null references conversations(id) on delete cascade,
    tag_id           uuid not null references tags(id) on delete cascade,
    primary key (conversation_id, tag_id)
);

create table contact_tags (
    organization_id  uuid not null references organizations(id) on delete cascade,
    contact_id       uuid not null references contacts(id) on delete cascade,
    tag_id           uuid not null references tags(id) on delete cascade,
    primary key (contact_id, tag_id)
);

create table activities (
    id               uuid primary key default gen_random_uuid(),
    organization_id  uuid not null references organizations(id) on delete cascade,
    contact_id       uuid references contacts(id) on delete cascade,
    conversation_id  uuid references conversations(id) on delete set null,
    user_id          uuid references users(id) on delete set null,
    ai_agent_id      uuid references ai_agents(id) on delete set null,
    type             text not null default 'task',
    title            text not null,
    description      text,
    due_at           timestamptz,
    done_at          timestamptz,
    created_at       timestamptz not null default now()
);
create index activities_contact_idx on activities (organization_id, contact_id);

-- The conversation's history of things that are not messages: handoffs, reactivations,
-- discarded AI answers, assignments. What a supervisor reads to know what happened.
create table conversation_events (
    id               uuid primary key default gen_random_uuid(),
    organization_id  uuid not null references organizations(id) on delete cascade,
    conversation_id  uuid not null references conversations(id) on delete cascade,
    type             text not null,
    actor_type       text not null check (actor_type in ('contact', 'agent', 'ai_agent', 'system', 'integration')),
    actor_id         uuid,
    data             jsonb not null default '{}'::jsonb,
    created_at       timestamptz not null default now()
);
create index conversation_events_conversation_idx on conversation_events (conversation_id, created_at);

create table automations (
    id               uuid primary key default gen_random_uuid(),
    organization_id  uuid not null references organizations(id) on delete cascade,
    name             text not null,
    trigger_type     text not null,
    trigger_config   jsonb not null default '{}'::jsonb,
    actions          jsonb not null default '[]'::jsonb,
    enabled          boolean not null default true,
    created_at       timestamptz not null default now()
);

create table knowledge_documents (
    id               uuid primary key default gen_random_uuid(),
    organization_id  uuid not null references organizations(id) on delete cascade,
    ai_agent_id      uuid references ai_agents(id) on delete cascade,
    title            text not null,
    content          text not null,
    source           text,
    created_at       timestamptz not null default now()
);

create table knowledge_chunks (
    id               uuid primary key default gen_random_uuid(),
    organization_id  uuid not null references organizations(id) on delete cascade,
    document_id      uuid not null references knowledge_documents(id) on delete cascade,
    position         integer not null,
    content          text not null,
    -- embedding stored as float4[]; similarity is computed in-process (pgvector is optional)
    embedding        real[],
    unique (document_id, position)
);

create table agent_memories (
    id               uuid primary key default gen_random_uuid(),
    organization_id  uuid not null references organizations(id) on delete cascade,
    ai_agent_id      uuid references ai_agents(id) on delete cascade,
    contact_id       uuid not null references contacts(id) on delete cascade,
    fact             text not null,
    embedding        real[],
    created_at       timestamptz not null default now()
);
create index agent_memories_contact_idx on agent_memories (organization_id, contact_id);

create table feedback_records (
    id               uuid primary key default gen_random_uuid(),
    organization_id  uuid not null references organizations(id) on delete cascade,
    conversation_id  uuid not null references conversations(id) on delete cascade,
    ai_agent_id      uuid references ai_agents(id) on delete set null,
    kind             text not null,
    detail           text,
    created_at       timestamptz not null default now()
);

-- Tenant isolation in one place. A connection sees a row only when its organization is the
-- session's (switchboard.organization_id) or the session is explicitly in system scope
-- (webhook account lookup, login, schedulers). FORCE applies the policy to the table owner too;
-- only a superuser or BYPASSRLS role escapes it, and the application warns when it runs as one.
create function switchboard_visible(org uuid) returns boolean
    language sql stable
as $$
    select coalesce(current_setting('switchboard.system', true), '') = 'on'
        or org = nullif(current_setting('switchboard.organization_id', true), '')::uuid
$$;

do $$
declare
    t text;
begin
    foreach t in array array[
        'users', 'api_tokens', 'settings', 'departments', 'user_departments', 'funnels', 'funnel_stages',
        'contacts', 'ai_agents', 'channel_accounts', 'contact_identities', 'conversations', 'messages',
        'ai_tools', 'ai_agent_tools', 'ai_conversations', 'llm_calls', 'tags', 'conversation_tags',
        'contact_tags', 'activities', 'conversation_events', 'automations', 'knowledge_documents',
        'knowledge_chunks', 'agent_memories', 'feedback_records']
    loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format('create policy tenant_isolation on %I using (switchboard_visible(organization_id)) '
                       'with check (switchboard_visible(organization_id))', t);
    end loop;
end
$$;

-- Organizations themselves: a tenant sees only its own row.
alter table organizations enable row level security;
alter table organizations force row level security;
create policy tenant_isolation on organizations using (switchboard_visible(id)) with check (switchboard_visible(id));
