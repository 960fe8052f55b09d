-- Issue 16: what a person needs to work the inbox: what they have read, conversations put aside until later,
-- and their own saved filters.

-- Snooze: hidden from the queues until this time; a customer message wakes it earlier. "Until the customer
-- writes" is stored as the far future, so one comparison decides both.
alter table conversations add column snoozed_until timestamptz;

-- Per person, up to when they have read each conversation: what came from the customer after it is unread.
create table conversation_reads (
    organization_id  uuid not null references organizations(id) on delete cascade,
    conversation_id  uuid not null references conversations(id) on delete cascade,
    user_id          uuid not null references users(id) on delete cascade,
    read_at          timestamptz not null,
    primary key (conversation_id, user_id)
);
create index conversation_reads_user_idx on conversation_reads (user_id);

-- A person's named filter set of the inbox (the list page's query string: tab, filters, sort).
create table saved_views (
    id               uuid primary key default gen_random_uuid(),
    organization_id  uuid not null references organizations(id) on delete cascade,
    user_id          uuid not null references users(id) on delete cascade,
    name             text not null check (length(name) between 1 and 60),
    query            text not null check (length(query) <= 1000),
    created_at       timestamptz not null default now(),
    unique (user_id, name)
);

alter table conversation_reads enable row level security;
alter table conversation_reads force row level security;
create policy tenant_isolation on conversation_reads using (switchboard_visible(organization_id))
    with check (switchboard_visible(organization_id));
alter table saved_views enable row level security;
alter table saved_views force row level security;
create policy tenant_isolation on saved_views using (switchboard_visible(organization_id))
    with check (switchboard_visible(organization_id));
