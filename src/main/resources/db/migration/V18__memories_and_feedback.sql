-- Agent memory and feedback detection (issue 11). Both tables exist since V1 (row-level security and grants
-- included) and V9 added their source columns; this adds what the features need to be written and read.

-- Who wrote a memory: extracted by the LLM, or written/edited by a person in the contact panel.
alter table agent_memories
    add column source text not null default 'llm' check (source in ('llm', 'person'));
create index agent_memories_contact_recent_idx on agent_memories (organization_id, contact_id, created_at desc);

-- A message is recorded once per kind whoever finds it first (the word scorer at once, the LLM review later).
create unique index feedback_records_once_idx on feedback_records (conversation_id, message_id, kind) where message_id is not null;
create index feedback_records_kind_idx on feedback_records (organization_id, kind, created_at desc, id desc);
