-- An e-mail is unique within an organization, not across the installation: a global index let one tenant's
-- admin learn, from a 409, that an address had an account in another tenant (issue 17). Sign-in checks the
-- password against every account with the e-mail and lets the person choose when several match.
drop index users_email_key;
create unique index users_email_per_organization on users (organization_id, lower(email));
