-- The AI's message log and tool log as rows appended in the turn's last transaction, instead of JSONB arrays
-- on ai_conversations rewritten on every append (issue 9 §4).
create table ai_conversation_messages (
    seq                bigint generated always as identity primary key,
    organization_id    uuid not null references organizations(id) on delete cascade,
    ai_conversation_id uuid not null references ai_conversations(id) on delete cascade,
    entry              jsonb not null,
    created_at         timestamptz not null default now()
);
create index ai_conversation_messages_by_conversation on ai_conversation_messages (ai_conversation_id, seq);

create table ai_tool_calls (
    seq                bigint generated always as identity primary key,
    organization_id    uuid not null references organizations(id) on delete cascade,
    ai_conversation_id uuid not null references ai_conversations(id) on delete cascade,
    tool               text not null,
    success            boolean not null,
    entry              jsonb not null,
    created_at         timestamptz not null default now()
);
create index ai_tool_calls_by_conversation on ai_tool_calls (ai_conversation_id, seq);

insert into ai_conversation_messages (organization_id, ai_conversation_id, entry)
select a.organization_id, a.id, e.entry from ai_conversations a,
       jsonb_array_elements(a.messages) with ordinality as e(entry, n) order by a.id, e.n;
insert into ai_tool_calls (organization_id, ai_conversation_id, tool, success, entry)
select a.organization_id, a.id, coalesce(e.entry ->> 'tool', '?'), coalesce((e.entry ->> 'success')::boolean, false), e.entry
from ai_conversations a, jsonb_array_elements(a.tools_used) with ordinality as e(entry, n) order by a.id, e.n;

alter table ai_conversations drop column messages, drop column tools_used;

-- The new tables are guarded and granted exactly like ai_conversations is at this point (whatever policy and
-- roles the tenant isolation has by then), so they never are the one table another tenant can read.
do $$
declare
    t text;
    p record;
    g record;
begin
    foreach t in array array['ai_conversation_messages', 'ai_tool_calls']
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
