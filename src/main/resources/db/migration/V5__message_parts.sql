-- Safe delivery after a crash (issue 19 §3). Every provider call of an outbound message is one part:
-- its row is committed with sending_at BEFORE the call and gets the provider's id (accepted_at) after
-- it. A part with a row but no accepted_at is "in doubt": the node died mid-call. A revived delivery
-- asks the provider where it can (Twilio lists messages) and otherwise flags the message
-- 'unconfirmed' for a person, never sending blind. Status callbacks find a part by its provider id.

-- the data move below reads every tenant's messages
select set_config('switchboard.system', 'on', true);

alter table messages drop constraint messages_status_check;
alter table messages add constraint messages_status_check
    check (status in ('received', 'scheduled', 'queued', 'sending', 'sent', 'delivered', 'read', 'failed',
                      'unconfirmed', 'discarded'));

create table message_parts (
    organization_id      uuid not null references organizations(id) on delete cascade,
    message_id           uuid not null references messages(id) on delete cascade,
    channel_account_id   uuid not null references channel_accounts(id) on delete cascade,
    part_index           integer not null check (part_index >= 0),
    -- null while in doubt, and for providers that return no id (the API channel)
    provider_message_id  text,
    attempt              integer not null default 1,
    sending_at           timestamptz not null default now(),
    accepted_at          timestamptz,
    primary key (message_id, part_index)
);
-- a status callback names one part; one provider id belongs to one part
create unique index message_parts_provider_id_key on message_parts (channel_account_id, provider_message_id);

-- part ids kept so far in messages.metadata.provider_part_ids become rows
insert into message_parts (organization_id, message_id, channel_account_id, part_index, provider_message_id,
                           attempt, sending_at, accepted_at)
select m.organization_id, m.id, m.channel_account_id, (p.ordinality - 1)::integer, p.id, 1, m.updated_at, m.updated_at
from messages m
cross join lateral jsonb_array_elements_text(case when jsonb_typeof(m.metadata -> 'provider_part_ids') = 'array'
                                                   then m.metadata -> 'provider_part_ids' else '[]'::jsonb end)
    with ordinality as p(id, ordinality)
where m.metadata ? 'provider_part_ids'
on conflict do nothing;

update messages set metadata = metadata - 'provider_part_ids' where metadata ? 'provider_part_ids';

alter table message_parts enable row level security;
alter table message_parts force row level security;
create policy tenant_isolation on message_parts using (switchboard_visible(organization_id))
    with check (switchboard_visible(organization_id));
