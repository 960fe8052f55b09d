-- Issue 15 (media): every file a message carries, inbound (downloaded from the provider by a durable job) or
-- outbound (attached by a person). The bytes live in the media storage (the data directory by default); this
-- row says what they are, where they came from and what the AI understood of them.
create table media_files (
    id                 uuid primary key default gen_random_uuid(),
    organization_id    uuid not null references organizations(id) on delete cascade,
    conversation_id    uuid not null references conversations(id) on delete cascade,
    -- null while a person's upload is not yet part of a message
    message_id         uuid references messages(id) on delete cascade,
    -- the attachment's place in its message: with message_id, what makes a provider's retry download nothing twice
    position           integer not null default 0,
    direction          text not null check (direction in ('inbound', 'outbound')),
    channel_account_id uuid references channel_accounts(id) on delete cascade,
    -- where the provider keeps it (never shown to anyone: people get /media/{id})
    provider_url       text,
    provider_media_id  text,
    kind               text not null check (kind in ('image', 'audio', 'video', 'document', 'sticker')),
    content_type       text,
    filename           text,
    size_bytes         bigint,
    voice              boolean not null default false,
    status             text not null default 'pending' check (status in ('pending', 'ready', 'failed', 'refused')),
    error              text,
    attempts           integer not null default 0,
    -- a voice note's transcript or an image's description, once the AI made one
    understanding      text,
    understanding_kind text check (understanding_kind in ('transcript', 'description')),
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now()
);
create unique index media_files_message_position_key on media_files (message_id, position) where message_id is not null;
create index media_files_conversation_idx on media_files (organization_id, conversation_id, created_at);

alter table media_files enable row level security;
alter table media_files force row level security;
create policy tenant_isolation on media_files using (switchboard_visible(organization_id))
    with check (switchboard_visible(organization_id));
