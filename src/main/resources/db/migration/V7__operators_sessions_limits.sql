-- Issue 17: organizations an instance operator can suspend, sessions and tokens that follow their user,
-- and the cluster-wide rate limit buckets.

-- A suspended organization's people cannot sign in and its tokens stop working; nothing is deleted.
alter table organizations add column status text not null default 'ACTIVE' check (status in ('ACTIVE', 'SUSPENDED'));

-- The instance operator creates, suspends and lists organizations (across tenants); an organization role
-- (ADMIN/AGENT) still decides what the person may do inside their own organization.
alter table users add column instance_operator boolean not null default false;
-- Raised by "sign out everywhere", a password change and deactivation: a session opened under an older
-- epoch is no longer valid.
alter table users add column session_epoch integer not null default 0;

-- Who issued an integration token: it carries at most that person's current role and dies with them.
alter table api_tokens add column created_by uuid references users(id) on delete cascade;
-- An operator token (the bootstrap token, or one an operator issued) may also manage organizations.
alter table api_tokens add column instance_operator boolean not null default false;

-- Bucket4j's PostgreSQL backend (select … for update): one row per limited key, shared by every node.
-- Not tenant data (keys are IPs, accounts, tokens), so no row-level security; expired rows are swept.
create table rate_limit_buckets (
    id          text primary key,
    state       bytea,
    expires_at  bigint
);
create index rate_limit_buckets_expires_idx on rate_limit_buckets (expires_at);
