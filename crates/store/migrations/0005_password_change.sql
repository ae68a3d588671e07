-- A generated password is for one sign-in only: its holder must choose their own before
-- anything else.
alter table accounts add column password_change_required boolean not null default false;
