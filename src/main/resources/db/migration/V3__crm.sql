-- The organization's connection to its external CRM (Kommo), the source of truth for a lead's stage.
-- The access token is not here: it lives encrypted in settings (key crm.kommo.token). The webhook
-- secret is kept only as its SHA-256: it identifies the organization when Kommo calls
-- /webhooks/kommo/{secret}, and a database leak must not let anyone forge those calls.
create table crm_connections (
    organization_id      uuid primary key references organizations(id) on delete cascade,
    provider             text not null default 'kommo' check (provider in ('kommo')),
    base_url             text not null,
    -- Kommo status_id meaning the lead is with a salesperson: the AI stays silent while it is there
    handoff_stage_id     bigint not null,
    -- when set, the handoff stage counts only for leads of this pipeline
    pipeline_id          bigint,
    webhook_secret_hash  text not null unique,
    created_at           timestamptz not null default now(),
    updated_at           timestamptz not null default now()
);

alter table crm_connections enable row level security;
alter table crm_connections force row level security;
create policy tenant_isolation on crm_connections using (switchboard_visible(organization_id))
    with check (switchboard_visible(organization_id));
