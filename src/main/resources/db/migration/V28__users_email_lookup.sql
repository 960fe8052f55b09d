-- Sign-in looks an e-mail up across organizations; the per-organization unique index (V26) leads with the
-- organization and cannot serve that lookup.
create index users_email_lookup on users (lower(email));
