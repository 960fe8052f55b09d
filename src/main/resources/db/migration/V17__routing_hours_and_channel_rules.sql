-- Issue 10 (finish): business hours per department and automatic assignment per channel account.

-- When a department's people work: {"timezone": "America/Sao_Paulo", "weekly": {"monday": [{"from": "09:00",
-- "to": "18:00"}], ...}, "holidays": ["2026-12-25"]}. Null: always open. Outside them handoffs wait in the
-- department's queue and SLA clocks stand still.
alter table departments add column business_hours jsonb;

-- A channel account routes its new conversations to a department (owned by routing; the channel module's own
-- tables are not touched). auto_assign switches the rule on and off without losing it; assign_to_ai_agent puts the
-- department's AI agents and people in one pool for new conversations, otherwise the AI answers first and people
-- get its escalations.
create table routing_channel_rules (
    channel_account_id  uuid primary key references channel_accounts(id) on delete cascade,
    organization_id     uuid not null references organizations(id) on delete cascade,
    department_id       uuid not null references departments(id) on delete cascade,
    auto_assign         boolean not null default true,
    assign_to_ai_agent  boolean not null default false,
    updated_at          timestamptz not null default now()
);
create index routing_channel_rules_department_idx on routing_channel_rules (organization_id, department_id);

alter table routing_channel_rules enable row level security;
alter table routing_channel_rules force row level security;
create policy tenant_isolation on routing_channel_rules using (switchboard_visible(organization_id))
    with check (switchboard_visible(organization_id));
