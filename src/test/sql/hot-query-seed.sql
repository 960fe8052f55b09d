-- Seed for hot-query-plans.sh: :orgs organizations, :convs conversations each (80 % closed), :msgs messages each.
set role switchboard_system;
insert into organizations (name, slug) select 'Org ' || g, 'org-' || g from generate_series(1, :orgs) g;
insert into users (organization_id, email, name, password_hash, role)
    select id, 'agent@' || slug || '.test', 'Agent', 'x', 'AGENT' from organizations;
insert into channel_accounts (organization_id, type, name) select id, 'twilio', 'WhatsApp' from organizations;
insert into ai_agents (organization_id, name) select id, 'Bot' from organizations;
insert into contacts (organization_id, name, phone)
    select o.id, (array['Maria','João','Conceição','Ana','Pedro'])[1 + g % 5] || ' ' || g, '+55119' || lpad(g::text, 8, '0')
    from organizations o, generate_series(1, :convs) g;
insert into conversations (organization_id, contact_id, channel_account_id, channel_type, queue_tab, status, agent_id,
                           ai_agent_id, last_message_at, created_at)
    select s.organization_id, s.contact_id, s.account_id, 'twilio', case when s.r2 < 0.3 then 'WHATSAPP' else 'SUPPORT' end,
           case when s.r < 0.8 then 'closed' when s.r < 0.9 then 'open' when s.r < 0.95 then 'waiting' else 'pending' end,
           case when s.r >= 0.95 then s.agent_id end, s.ai_agent_id,
           s.created_at + :msgs * interval '1 minute', s.created_at
    from (select ct.organization_id, ct.id as contact_id, ca.id as account_id, u.id as agent_id, a.id as ai_agent_id,
                 random() as r, random() as r2, now() - random() * interval '365 days' as created_at
          from contacts ct
          join channel_accounts ca on ca.organization_id = ct.organization_id
          join users u on u.organization_id = ct.organization_id
          join ai_agents a on a.organization_id = ct.organization_id) s;
insert into messages (organization_id, conversation_id, channel_account_id, direction, sender_type, content, status, created_at)
    select c.organization_id, c.id, c.channel_account_id,
           case when i % 2 = 1 then 'inbound' else 'outbound' end,
           case when i % 2 = 1 then 'contact' else 'ai_agent' end,
           (array['Quero a segunda via do boleto', 'Qual o prazo de entrega?', 'Obrigado pela ajuda',
                  'Meu pedido não chegou', 'Pode me ligar amanhã?', 'Olá, tudo bem?'])[1 + abs(hashtext(c.id::text) + i) % 6]
               || ' #' || i,
           case when i % 2 = 1 then 'received' else 'delivered' end,
           c.created_at + i * interval '1 minute'
    from conversations c, generate_series(1, :msgs) i;
insert into llm_calls (organization_id, conversation_id, ai_agent_id, model, outcome)
    select organization_id, id, ai_agent_id, 'gpt-4o-mini', 'ok' from conversations;
reset role;
vacuum analyze organizations, users, channel_accounts, ai_agents, contacts, conversations, messages, llm_calls;
