-- Issue 10: distribution among people and AI agents (departments, members, methods, queues, SLA) and presence.

-- How a department distributes what reaches it.
alter table departments
    add column assignment_method     text not null default 'round_robin'
        check (assignment_method in ('round_robin', 'by_load', 'by_specialty', 'by_performance', 'percentage')),
    add column auto_assign           boolean not null default true,
    add column assign_to_ai_agent    boolean not null default false,
    -- a returning contact goes back to their previous person within this window (null: never)
    add column sticky_window_minutes integer default 10080 check (sticky_window_minutes is null or sticky_window_minutes >= 0),
    add column is_default            boolean not null default false,
    add column specialties           text[] not null default '{}',
    add column updated_at            timestamptz not null default now(),
    add constraint departments_max_conversations_check check (max_conversations is null or max_conversations > 0);
-- one default department per organization: where handoffs without a department go
create unique index departments_one_default_idx on departments (organization_id) where is_default;

-- Who works in a department: a person or an AI agent, with a weight (percentage method), an optional
-- capacity of its own and the specialties it serves (funnel ids, stage ids, agent types or free labels).
create table department_members (
    id                 uuid primary key default gen_random_uuid(),
    organization_id    uuid not null references organizations(id) on delete cascade,
    department_id      uuid not null references departments(id) on delete cascade,
    user_id            uuid references users(id) on delete cascade,
    ai_agent_id        uuid references ai_agents(id) on delete cascade,
    weight             integer not null default 1 check (weight >= 0),
    max_conversations  integer check (max_conversations is null or max_conversations > 0),
    specialties        text[] not null default '{}',
    created_at         timestamptz not null default now(),
    check ((user_id is null) <> (ai_agent_id is null))
);
create unique index department_members_user_idx on department_members (department_id, user_id) where user_id is not null;
create unique index department_members_ai_idx on department_members (department_id, ai_agent_id) where ai_agent_id is not null;
create index department_members_org_user_idx on department_members (organization_id, user_id);
insert into department_members (organization_id, department_id, user_id)
select organization_id, department_id, user_id from user_departments;

-- Conversations waiting for a member of a department, oldest first. A row lives from the handoff until the
-- conversation is assigned (or someone takes it by hand / it closes, found and dropped by the next drain).
create table routing_queue (
    conversation_id  uuid primary key references conversations(id) on delete cascade,
    organization_id  uuid not null references organizations(id) on delete cascade,
    department_id    uuid not null references departments(id) on delete cascade,
    reason           text,
    specialty        text,
    exclude_user_id  uuid references users(id) on delete set null,
    -- a new conversation of a department whose AI agents compete with its people (assign_to_ai_agent)
    new_conversation boolean not null default false,
    enqueued_at      timestamptz not null default now()
);
create index routing_queue_department_idx on routing_queue (organization_id, department_id, enqueued_at);

-- Every automatic assignment, with its method and reason (the percentage method counts these).
create table routing_assignments (
    id               uuid primary key default gen_random_uuid(),
    organization_id  uuid not null references organizations(id) on delete cascade,
    conversation_id  uuid not null references conversations(id) on delete cascade,
    department_id    uuid references departments(id) on delete set null,
    user_id          uuid references users(id) on delete set null,
    ai_agent_id      uuid references ai_agents(id) on delete set null,
    method           text not null,
    reason           text not null,
    assigned_at      timestamptz not null default now()
);
create index routing_assignments_department_idx on routing_assignments (organization_id, department_id, assigned_at);
create index routing_assignments_conversation_idx on routing_assignments (conversation_id);

-- SLA policies per department and priority (null priority: every priority without its own policy).
create table sla_policies (
    id                        uuid primary key default gen_random_uuid(),
    organization_id           uuid not null references organizations(id) on delete cascade,
    department_id             uuid not null references departments(id) on delete cascade,
    priority                  text check (priority in ('low', 'normal', 'high', 'urgent')),
    first_response_seconds    integer not null default 300 check (first_response_seconds > 0),
    resolution_seconds        integer not null default 86400 check (resolution_seconds > 0),
    redistribute_on_breach    boolean not null default false,
    created_at                timestamptz not null default now()
);
create unique index sla_policies_department_priority_idx on sla_policies (department_id, coalesce(priority, '*'));

-- One SLA clock per conversation handed to a department: started at the handoff, first response when a person
-- first answers, resolution when it closes. Breaches are stamped once (the breach job claims due rows).
create table sla_timers (
    conversation_id              uuid primary key references conversations(id) on delete cascade,
    organization_id              uuid not null references organizations(id) on delete cascade,
    department_id                uuid references departments(id) on delete set null,
    user_id                      uuid references users(id) on delete set null,
    started_at                   timestamptz not null,
    first_response_due           timestamptz not null,
    first_response_at            timestamptz,
    first_response_breached_at   timestamptz,
    resolution_due               timestamptz not null,
    resolved_at                  timestamptz,
    resolution_breached_at       timestamptz,
    redistribute_on_breach       boolean not null default false
);
create index sla_timers_first_response_due_idx on sla_timers (first_response_due)
    where first_response_at is null and first_response_breached_at is null;
create index sla_timers_resolution_due_idx on sla_timers (resolution_due)
    where resolved_at is null and resolution_breached_at is null;
create index sla_timers_org_started_idx on sla_timers (organization_id, started_at);

-- Presence (identity): online / away / offline, and when a live inbox stream of the person was last seen.
alter table users
    add column presence          text not null default 'offline' check (presence in ('online', 'away', 'offline')),
    add column presence_since    timestamptz not null default now(),
    add column stream_seen_at    timestamptz;
create index users_online_idx on users (organization_id) where presence = 'online';

do $$
declare t text;
begin
    foreach t in array array['department_members', 'routing_queue', 'routing_assignments', 'sla_policies', 'sla_timers']
    loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format('create policy tenant_isolation on %I using (switchboard_visible(organization_id)) '
                       'with check (switchboard_visible(organization_id))', t);
    end loop;
end
$$;
