-- Issue 15 (channels): Instagram Direct, Facebook Messenger and Telegram accounts, and what Evolution API last
-- said about a WhatsApp QR instance's connection.

alter table channel_accounts drop constraint if exists channel_accounts_type_check;
alter table channel_accounts add constraint channel_accounts_type_check
    check (type in ('twilio', 'meta_cloud', 'evolution', 'webchat', 'api', 'instagram', 'messenger', 'telegram'));

-- One row per Evolution account: the state from CONNECTION_UPDATE (or a connectionState call) and the QR code
-- to scan while it waits for one (QRCODE_UPDATED or /instance/connect), cleared once connected.
create table evolution_connections (
    channel_account_id  uuid primary key references channel_accounts(id) on delete cascade,
    organization_id     uuid not null references organizations(id) on delete cascade,
    state               text not null check (state in ('connected', 'connecting', 'needs_qr', 'disconnected')),
    qr_code             text,
    pairing_code        text,
    detail              text,
    updated_at          timestamptz not null default now()
);
create index evolution_connections_organization_idx on evolution_connections (organization_id);

-- Guarded and granted exactly like channel_accounts (whatever policy and roles tenant isolation has by now).
do $$
declare
    p record;
    g record;
begin
    alter table evolution_connections enable row level security;
    alter table evolution_connections force row level security;
    for p in select policyname, permissive, roles, cmd, qual, with_check from pg_policies
             where schemaname = current_schema() and tablename = 'channel_accounts'
    loop
        execute format('create policy %I on evolution_connections as %s for %s to %s', p.policyname, p.permissive, p.cmd,
                       array_to_string(p.roles, ', '))
                || case when p.qual is null then '' else format(' using (%s)', p.qual) end
                || case when p.with_check is null then '' else format(' with check (%s)', p.with_check) end;
    end loop;
    for g in select grantee, privilege_type from information_schema.role_table_grants
             where table_schema = current_schema() and table_name = 'channel_accounts' and grantee not in (current_user, 'PUBLIC')
    loop
        execute format('grant %s on evolution_connections to %I', g.privilege_type, g.grantee);
    end loop;
end
$$;
