-- Tenant isolation that PostgreSQL can plan with, the indexes behind the inbox's hot reads, and search.

-- 1. Every policy becomes a plain "organization_id = the session's tenant". The function is inlined by the
-- planner, so the policy is an ordinary equality that can be an index condition; the former OR with a
-- "system" flag could not. Policies written as switchboard_visible(...) (V1, V3 and later migrations) all
-- change with it. A session without a tenant sees nothing and can write nothing.
create or replace function switchboard_visible(org uuid) returns boolean
    language sql stable
as $$
    select org = nullif(current_setting('switchboard.organization_id', true), '')::uuid
$$;

-- 2. Work that must look across tenants (resolving a webhook's account, login, schedulers) runs as
-- switchboard_system, a NOLOGIN role with BYPASSRLS that the application role is a member of and switches
-- to (SET ROLE) only for that work. The role exists before migrations run: the application creates it
-- (embedded database) or a database administrator does (see README, "External PostgreSQL").
do $$
begin
    execute format('grant usage on schema %I to switchboard_system', current_schema());
    execute format('grant select, insert, update, delete on all tables in schema %I to switchboard_system', current_schema());
    execute format('grant usage, select, update on all sequences in schema %I to switchboard_system', current_schema());
    -- tables created by later migrations (run by this same role) are covered too
    execute format('alter default privileges in schema %I grant select, insert, update, delete on tables to switchboard_system', current_schema());
    execute format('alter default privileges in schema %I grant usage, select, update on sequences to switchboard_system', current_schema());
end
$$;

-- 3. The inbox's lists, sorted as shown (needing a person first, then latest activity) so that keyset paging
-- reads exactly one page from the index. Open conversations have their own partial index, which also
-- carries what the queue counters need (an index-only count over what is open, never the whole history).
drop index if exists conversations_inbox_idx;
create index conversations_list_idx on conversations
    (organization_id, requires_human_attention desc, (coalesce(last_message_at, created_at)) desc, id desc);
create index conversations_open_idx on conversations
    (organization_id, requires_human_attention desc, (coalesce(last_message_at, created_at)) desc, id desc)
    include (status, queue_tab, agent_id, ai_agent_id, ai_disabled)
    where status <> 'closed';
create index conversations_waiting_idx on conversations
    (organization_id, queue_tab, requires_human_attention desc, (coalesce(last_message_at, created_at)) desc, id desc)
    where status = 'waiting' and agent_id is null;
create index conversations_mine_idx on conversations
    (organization_id, agent_id, requires_human_attention desc, (coalesce(last_message_at, created_at)) desc, id desc)
    where status <> 'closed' and agent_id is not null;
-- the conversations an AI agent is answering right now, counted on every inbound message
create index conversations_ai_agent_open_idx on conversations (ai_agent_id)
    where status <> 'closed' and agent_id is null and not ai_disabled;

-- the LLM ledger of one conversation (and the cascade when a conversation is deleted)
create index llm_calls_conversation_idx on llm_calls (conversation_id, created_at);

-- 4. Search that ignores accents and case ("conceicao" finds "Conceição") and uses an index: full text
-- over messages (word prefixes), trigrams over the contact's name, phone and e-mail (any substring).
-- unaccent, pg_trgm and btree_gin are trusted extensions: the database owner may create them.
create extension if not exists unaccent with schema public;
create extension if not exists pg_trgm with schema public;
create extension if not exists btree_gin with schema public;

-- unaccent() is only STABLE (its dictionary could change); naming the dictionary makes a fixed function
-- that indexes may use.
create function switchboard_search_text(value text) returns text
    language sql immutable strict parallel safe
as $$
    select lower(public.unaccent('public.unaccent'::regdictionary, value))
$$;

-- Stored, so that matching rows are not re-parsed on every search, and so that ANALYZE keeps word statistics
-- the planner needs to choose this index.
alter table messages add column search_vector tsvector
    generated always as (to_tsvector('simple', switchboard_search_text(coalesce(content, '')))) stored;
create index messages_search_idx on messages using gin (organization_id, search_vector);
create index contacts_search_idx on contacts using gin
    (organization_id, switchboard_search_text(coalesce(name, '') || ' ' || coalesce(phone, '') || ' ' || coalesce(email, ''))
     gin_trgm_ops);

-- Row-level security lets only leakproof operators into an index scan, and the full text (@@) and trigram (LIKE)
-- operators are not: under the tenant policy these indexes would only ever be read by organization. So search
-- runs in two functions that execute as the system role (no policy) and filter by the session's tenant
-- themselves; they take no organization argument, so a caller can only ever get its own tenant's ids.
create function switchboard_message_matches(query tsquery) returns table (conversation_id uuid)
    language sql stable security definer set search_path = pg_catalog, public
as $$
    select distinct m.conversation_id from messages m
    where m.organization_id = nullif(current_setting('switchboard.organization_id', true), '')::uuid
      and m.search_vector @@ query
$$;

create function switchboard_contact_matches(pattern text) returns table (contact_id uuid)
    language sql stable security definer set search_path = pg_catalog, public
as $$
    select s.id from contacts s
    where s.organization_id = nullif(current_setting('switchboard.organization_id', true), '')::uuid
      and switchboard_search_text(coalesce(s.name, '') || ' ' || coalesce(s.phone, '') || ' ' || coalesce(s.email, ''))
          like switchboard_search_text(pattern)
$$;

do $$
begin
    -- the system role may own these functions (ownership needs CREATE on the schema), nothing more
    execute format('grant create on schema %I to switchboard_system', current_schema());
    execute format('revoke execute on function switchboard_message_matches(tsquery) from public');
    execute format('revoke execute on function switchboard_contact_matches(text) from public');
    execute format('grant execute on function switchboard_message_matches(tsquery) to %I', current_user);
    execute format('grant execute on function switchboard_contact_matches(text) to %I', current_user);
    execute 'alter function switchboard_message_matches(tsquery) owner to switchboard_system';
    execute 'alter function switchboard_contact_matches(text) owner to switchboard_system';
end
$$;

