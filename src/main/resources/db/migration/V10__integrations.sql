-- Issue 12: an organization's connections to its own systems (WooCommerce, an HTTP API, n8n, an external
-- database, an MCP server). Non-secret settings as JSON; secrets as one encrypted JSON object (identity's
-- SecretBox), never returned by the API. The last "Test connection" outcome is kept for the admin page.
create table integrations (
    id                uuid primary key default gen_random_uuid(),
    organization_id   uuid not null references organizations(id) on delete cascade,
    kind              text not null check (kind in ('woocommerce', 'http_api', 'n8n', 'database', 'mcp')),
    name              text not null,
    settings          jsonb not null default '{}'::jsonb,
    secrets           text,
    last_tested_at    timestamptz,
    last_test_ok      boolean,
    last_test_message text,
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now(),
    unique (organization_id, name)
);
create index integrations_by_kind on integrations (organization_id, kind);

-- Guarded and granted exactly like ai_tools is at this point (whatever policy and roles tenant isolation has
-- by then), so it is never the one table another tenant can read.
do $$
declare
    p record;
    g record;
begin
    alter table integrations enable row level security;
    alter table integrations force row level security;
    for p in select policyname, permissive, roles, cmd, qual, with_check from pg_policies
             where schemaname = current_schema() and tablename = 'ai_tools'
    loop
        execute format('create policy %I on integrations as %s for %s to %s', p.policyname, p.permissive, p.cmd,
                       array_to_string(p.roles, ', '))
                || case when p.qual is null then '' else format(' using (%s)', p.qual) end
                || case when p.with_check is null then '' else format(' with check (%s)', p.with_check) end;
    end loop;
    for g in select grantee, privilege_type from information_schema.role_table_grants
             where table_schema = current_schema() and table_name = 'ai_tools' and grantee not in (current_user, 'PUBLIC')
    loop
        execute format('grant %s on integrations to %I', g.privilege_type, g.grantee);
    end loop;
end
$$;
