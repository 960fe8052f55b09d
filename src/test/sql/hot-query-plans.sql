-- The inbox's hot queries as Inbox.java and AiAgents.java issue them, for one tenant of the seed.
set role switchboard_system;
select o.id as org, u.id as agent, (select a.id from ai_agents a where a.organization_id = o.id) as ai_agent
from organizations o join users u on u.organization_id = o.id order by o.slug limit 1 offset 2 \gset
select c.id as conversation from conversations c where c.organization_id = :'org' order by c.created_at desc limit 1 \gset
reset role;
select set_config('switchboard.organization_id', :'org', false) \g /dev/null
\pset pager off
\echo '== the policy is an index condition: count of one tenant''s conversations (no explicit predicate)'
explain (analyze, costs off, summary on) select count(*) from conversations;

\echo '== inbox counts (open conversations only)'
explain (analyze, costs off, summary on)
select count(*) filter (where agent_id = :'agent'),
       count(*) filter (where status = 'waiting' and agent_id is null and queue_tab = 'WHATSAPP'),
       count(*) filter (where status = 'waiting' and agent_id is null and queue_tab = 'SUPPORT'),
       count(*) filter (where ai_agent_id is not null and agent_id is null and not ai_disabled),
       count(*), count(*) filter (where status = 'open'), count(*) filter (where status = 'pending'),
       count(*) filter (where status = 'waiting')
from conversations where organization_id = :'org' and status <> 'closed';

\echo '== list: OPEN tab, first page'
explain (analyze, costs off, summary on)
select c.id, ct.name, lm.content
from (select c.*, coalesce(c.last_message_at, c.created_at) as activity_at from conversations c
      where (c.organization_id = :'org') and (c.status <> 'closed')
      order by c.requires_human_attention desc, coalesce(c.last_message_at, c.created_at) desc, c.id desc limit 51) c
join contacts ct on ct.id = c.contact_id
left join lateral (select content, sender_type, created_at from messages m where m.conversation_id = c.id and not m.private
                   order by m.created_at desc, m.id desc limit 1) lm on true
order by c.requires_human_attention desc, c.activity_at desc, c.id desc;

\echo '== list: OPEN tab, a later page (keyset cursor)'
select c.requires_human_attention as a, coalesce(c.last_message_at, c.created_at) as t, c.id as i from conversations c
where c.organization_id = :'org' and c.status <> 'closed'
order by 1 desc, 2 desc, 3 desc limit 1 offset 60 \gset
explain (analyze, costs off, summary on)
select c.id, ct.name, lm.content
from (select c.*, coalesce(c.last_message_at, c.created_at) as activity_at from conversations c
      where (c.organization_id = :'org') and (c.status <> 'closed')
        and ((c.requires_human_attention, coalesce(c.last_message_at, c.created_at), c.id) < (:'a'::boolean, :'t'::timestamptz, :'i'::uuid))
      order by c.requires_human_attention desc, coalesce(c.last_message_at, c.created_at) desc, c.id desc limit 51) c
join contacts ct on ct.id = c.contact_id
left join lateral (select content, sender_type, created_at from messages m where m.conversation_id = c.id and not m.private
                   order by m.created_at desc, m.id desc limit 1) lm on true
order by c.requires_human_attention desc, c.activity_at desc, c.id desc;

\echo '== list: waiting queue (SUPPORT), first page'
explain (analyze, costs off, summary on)
select c.id from conversations c join contacts ct on ct.id = c.contact_id
where (c.organization_id = :'org') and (c.status = 'waiting' and c.agent_id is null and c.queue_tab = 'SUPPORT')
order by c.requires_human_attention desc, coalesce(c.last_message_at, c.created_at) desc, c.id desc limit 51;

\echo '== list: CLOSED tab, first page'
explain (analyze, costs off, summary on)
select c.id from conversations c join contacts ct on ct.id = c.contact_id
where (c.organization_id = :'org') and (c.status = 'closed')
order by c.requires_human_attention desc, coalesce(c.last_message_at, c.created_at) desc, c.id desc limit 51;

\echo '== search "conceicao": contacts by trigram, messages by full text (through the search functions)'
explain (analyze, costs off, summary on)
select c.id from conversations c
where (c.organization_id = :'org')
  and (c.contact_id in (select contact_id from switchboard_contact_matches('%conceicao%'))
       or c.id in (select conversation_id from switchboard_message_matches(to_tsquery('simple', switchboard_search_text('conceicao:*')))))
order by c.requires_human_attention desc, coalesce(c.last_message_at, c.created_at) desc, c.id desc limit 26;
\echo '   inside switchboard_message_matches (runs as the system role, tenant from the session):'
set role switchboard_system;
explain (analyze, costs off, summary on)
select distinct m.conversation_id from messages m
where m.organization_id = nullif(current_setting('switchboard.organization_id', true), '')::uuid
  and m.search_vector @@ to_tsquery('simple', switchboard_search_text('conceicao:*'));
\echo '   inside switchboard_contact_matches:'
explain (analyze, costs off, summary on)
select s.id from contacts s
where s.organization_id = nullif(current_setting('switchboard.organization_id', true), '')::uuid
  and switchboard_search_text(coalesce(s.name, '') || ' ' || coalesce(s.phone, '') || ' ' || coalesce(s.email, ''))
      like switchboard_search_text('%conceicao%');
reset role;

\echo '== search "boleto": contacts by trigram, messages by full text (through the search functions)'
explain (analyze, costs off, summary on)
select c.id from conversations c
where (c.organization_id = :'org')
  and (c.contact_id in (select contact_id from switchboard_contact_matches('%boleto%'))
       or c.id in (select conversation_id from switchboard_message_matches(to_tsquery('simple', switchboard_search_text('boleto:*')))))
order by c.requires_human_attention desc, coalesce(c.last_message_at, c.created_at) desc, c.id desc limit 26;
\echo '   inside switchboard_message_matches (runs as the system role, tenant from the session):'
set role switchboard_system;
explain (analyze, costs off, summary on)
select distinct m.conversation_id from messages m
where m.organization_id = nullif(current_setting('switchboard.organization_id', true), '')::uuid
  and m.search_vector @@ to_tsquery('simple', switchboard_search_text('boleto:*'));
\echo '   inside switchboard_contact_matches:'
explain (analyze, costs off, summary on)
select s.id from contacts s
where s.organization_id = nullif(current_setting('switchboard.organization_id', true), '')::uuid
  and switchboard_search_text(coalesce(s.name, '') || ' ' || coalesce(s.phone, '') || ' ' || coalesce(s.email, ''))
      like switchboard_search_text('%boleto%');
reset role;

\echo '== a conversation page: newest messages'
explain (analyze, costs off, summary on)
select m.id from messages m where m.organization_id = :'org' and m.conversation_id = :'conversation'
order by m.created_at desc, m.id desc limit 51;

\echo '== AI agent: conversations it answers now (on every inbound message)'
explain (analyze, costs off, summary on)
select (select count(*) from conversations c where c.ai_agent_id = ai_agents.id
          and c.organization_id = ai_agents.organization_id and c.status <> 'closed'
          and c.agent_id is null and not c.ai_disabled)::int from ai_agents where id = :'ai_agent';

\echo '== LLM calls of a conversation'
explain (analyze, costs off, summary on)
select * from llm_calls where conversation_id = :'conversation' order by created_at;
