-- Issue 14: automation rules and their run log, intents (AI branching), canned responses and macros; funnels
-- that can be archived; contacts that can be merged.

-- A rule: when EVENT happens and its conditions hold (all of `conditions.all`, and at least one of
-- `conditions.any` when there are any), run its actions in order. Rules of an organization run by position.
alter table automations
    add column description  text,
    add column position     integer not null default 0,
    add column conditions   jsonb not null default '{}'::jsonb,
    add column updated_at   timestamptz not null default now();
create index automations_trigger_idx on automations (organization_id, trigger_type, position) where enabled;

-- One row per (rule, event): the unique key is what makes a rule fire at most once per event whatever node
-- runs it; matched / actions done / error are what an administrator reads.
create table automation_runs (
    id               uuid primary key default gen_random_uuid(),
    organization_id  uuid not null references organizations(id) on delete cascade,
    automation_id    uuid references automations(id) on delete cascade,
    intent_id        uuid,
    event_key        text not null,
    event_type       text not null,
    conversation_id  uuid references conversations(id) on delete cascade,
    depth            integer not null default 0,
    matched          boolean not null default false,
    actions_done     jsonb not null default '[]'::jsonb,
    error            text,
    llm_call_saved   boolean not null default false,
    created_at       timestamptz not null default now()
);
create unique index automation_runs_once_idx on automation_runs (coalesce(automation_id, intent_id), event_key);
create index automation_runs_list_idx on automation_runs (organization_id, created_at desc);

-- An intent: keywords, regular expressions and example phrases; a customer message that matches with at least
-- `threshold` confidence runs `actions` instead of the LLM (when the agent's ai_branching_active is on).
create table automation_intents (
    id               uuid primary key default gen_random_uuid(),
    organization_id  uuid not null references organizations(id) on delete cascade,
    name             text not null,
    keywords         text[] not null default '{}',
    patterns         text[] not null default '{}',
    examples         text[] not null default '{}',
    threshold        numeric(3, 2) not null default 0.60 check (threshold between 0 and 1),
    actions          jsonb not null default '[]'::jsonb,
    enabled          boolean not null default true,
    created_at       timestamptz not null default now(),
    unique (organization_id, name)
);
alter table automation_runs add constraint automation_runs_intent_fk
    foreign key (intent_id) references automation_intents(id) on delete cascade;

-- A canned response: '/shortcut' in the reply box; personal (user_id) or shared by the organization.
create table canned_responses (
    id               uuid primary key default gen_random_uuid(),
    organization_id  uuid not null references organizations(id) on delete cascade,
    user_id          uuid references users(id) on delete cascade,
    shortcut         text not null check (shortcut ~ '^[a-z0-9_-]{1,40}$'),
    content          text not null,
    created_at       timestamptz not null default now()
);
create unique index canned_responses_shortcut_idx
    on canned_responses (organization_id, coalesce(user_id, '00000000-0000-0000-0000-000000000000'::uuid), shortcut);

-- A macro: a list of actions (the rules' action language) a person runs on a conversation with one click.
create table macros (
    id               uuid primary key default gen_random_uuid(),
    organization_id  uuid not null references organizations(id) on delete cascade,
    name             text not null,
    actions          jsonb not null default '[]'::jsonb,
    created_at       timestamptz not null default now(),
    unique (organization_id, name)
);

-- Funnels and stages can be archived (kept for the conversations that are in them, offered no more).
alter table funnels add column archived_at timestamptz;
alter table funnel_stages add column archived_at timestamptz;

-- A contact merged into another keeps a pointer to it (its rows moved there), so old links still resolve.
alter table contacts add column merged_into uuid references contacts(id) on delete set null;

do $$
declare t text;
begin
    foreach t in array array['automation_runs', 'automation_intents', 'canned_responses', 'macros']
    loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format('create policy tenant_isolation on %I using (switchboard_visible(organization_id)) '
                       'with check (switchboard_visible(organization_id))', t);
    end loop;
end
$$;
