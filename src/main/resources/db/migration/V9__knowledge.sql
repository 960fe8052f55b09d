-- Knowledge bases, documents indexed into chunks (vectors + full text), agent memories and feedback (issue 11).
-- V1's knowledge_documents / knowledge_chunks were never written to: they are replaced by the shape below.
drop table if exists knowledge_chunks;
drop table if exists knowledge_documents;

create table knowledge_bases (
    id               uuid primary key default gen_random_uuid(),
    organization_id  uuid not null references organizations(id) on delete cascade,
    name             text not null,
    description      text,
    created_at       timestamptz not null default now(),
    unique (organization_id, name)
);

-- One base can serve several agents; an agent may hand over with reason missing_knowledge when its bases
-- have nothing relevant (rather than let the model guess).
create table knowledge_base_agents (
    organization_id      uuid not null references organizations(id) on delete cascade,
    knowledge_base_id    uuid not null references knowledge_bases(id) on delete cascade,
    ai_agent_id          uuid not null references ai_agents(id) on delete cascade,
    handoff_when_missing boolean not null default false,
    primary key (knowledge_base_id, ai_agent_id)
);
create index knowledge_base_agents_agent_idx on knowledge_base_agents (organization_id, ai_agent_id);

create table knowledge_documents (
    id                uuid primary key default gen_random_uuid(),
    organization_id   uuid not null references organizations(id) on delete cascade,
    knowledge_base_id uuid not null references knowledge_bases(id) on delete cascade,
    kind              text not null check (kind in ('file', 'url', 'qa')),
    title             text not null,
    filename          text,
    content_type      text,
    source_url        text,
    -- the uploaded bytes, kept until indexing succeeds so a durable job can (re)parse them after a crash
    original          bytea,
    -- text search configuration of the document's language
    language          text not null default 'portuguese' check (language in ('portuguese', 'english', 'simple')),
    status            text not null default 'pending' check (status in ('pending', 'indexing', 'ready', 'failed')),
    error             text,
    chunks_done       integer not null default 0,
    chunks_total      integer not null default 0,
    -- bumped by every upload: an indexing job for an older version ends without writing
    version           integer not null default 1,
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now()
);
create index knowledge_documents_base_idx on knowledge_documents (organization_id, knowledge_base_id, created_at desc);

create table knowledge_chunks (
    id                uuid primary key default gen_random_uuid(),
    organization_id   uuid not null references organizations(id) on delete cascade,
    knowledge_base_id uuid not null references knowledge_bases(id) on delete cascade,
    document_id       uuid not null references knowledge_documents(id) on delete cascade,
    position          integer not null,
    section           text not null default '',
    content           text not null,
    -- which model made the vector: a search compares only vectors of the model that embeds the question
    embedding_model   text not null,
    embedding         real[] not null,
    search_vector     tsvector not null,
    unique (document_id, position)
);
create index knowledge_chunks_org_idx on knowledge_chunks (organization_id, knowledge_base_id);
create index knowledge_chunks_search_idx on knowledge_chunks using gin (search_vector);

-- Full text over chunks under row-level security: @@ is not leakproof, so under the tenant policy the GIN index
-- could not be used. Like switchboard_message_matches (V4) this runs as the owner and filters by the session's
-- tenant itself; it takes no organization argument, so a caller only ever reads its own tenant's chunks.
-- Each chunk is matched in its own document's language; coverage = how many of the question's words it holds.
create function switchboard_knowledge_matches(bases uuid[], q_pt tsquery, q_en tsquery, q_simple tsquery,
                                              words_pt text[], words_en text[], max_rows integer)
    returns table (chunk_id uuid, rank real, matched integer, wanted integer)
    language sql stable security definer set search_path = pg_catalog, public
as $$
    with hits as (
        select c.id, c.search_vector, q.cfg, q.query,
               ts_rank_cd(c.search_vector, q.query, 1) as rank
        from knowledge_chunks c
        join knowledge_documents d on d.id = c.document_id
        cross join lateral (select d.language as cfg,
                                   case d.language when 'portuguese' then q_pt when 'english' then q_en else q_simple end
                                       as query) q
        where c.organization_id = nullif(current_setting('switchboard.organization_id', true), '')::uuid
          and c.knowledge_base_id = any(bases)
          and (c.search_vector @@ q_pt or c.search_vector @@ q_en or c.search_vector @@ q_simple)
          and c.search_vector @@ q.query
        order by rank desc
        limit max_rows
    )
    select h.id, h.rank,
           (select count(*)::integer from unnest(case h.cfg when 'english' then words_en else words_pt end) w
             where w = any(tsvector_to_array(h.search_vector))),
           cardinality(case h.cfg when 'english' then words_en else words_pt end)
    from hits h
    order by h.rank desc
$$;

do $$
declare
    signature text := 'switchboard_knowledge_matches(uuid[], tsquery, tsquery, tsquery, text[], text[], integer)';
begin
    execute format('revoke execute on function %s from public', signature);
    execute format('grant execute on function %s to %I', signature, current_user);
    execute format('alter function %s owner to switchboard_system', signature);
end
$$;

alter table agent_memories
    add column conversation_id uuid references conversations(id) on delete set null,
    add column embedding_model text,
    add column updated_at timestamptz not null default now(),
    add column updated_by uuid references users(id) on delete set null;

alter table feedback_records
    add column excerpt text,
    add column source text not null default 'scorer',
    add column message_id uuid references messages(id) on delete set null;
create index feedback_records_list_idx on feedback_records (organization_id, created_at desc, id desc);

-- The new tables are guarded and granted exactly like ai_conversations is at this point (as V6 does).
do $$
declare
    t text;
    p record;
    g record;
begin
    foreach t in array array['knowledge_bases', 'knowledge_base_agents', 'knowledge_documents', 'knowledge_chunks']
    loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        for p in select policyname, permissive, roles, cmd, qual, with_check from pg_policies
                 where schemaname = current_schema() and tablename = 'ai_conversations'
        loop
            execute format('create policy %I on %I as %s for %s to %s', p.policyname, t, p.permissive, p.cmd,
                           array_to_string(p.roles, ', '))
                    || case when p.qual is null then '' else format(' using (%s)', p.qual) end
                    || case when p.with_check is null then '' else format(' with check (%s)', p.with_check) end;
        end loop;
        for g in select grantee, privilege_type from information_schema.role_table_grants
                 where table_schema = current_schema() and table_name = 'ai_conversations' and grantee not in (current_user, 'PUBLIC')
        loop
            execute format('grant %s on %I to %I', g.privilege_type, t, g.grantee);
        end loop;
    end loop;
end
$$;
