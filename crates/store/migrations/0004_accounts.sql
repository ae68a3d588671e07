-- Accounts, their sessions and API tokens, and failed sign-ins (for throttling). Sessions
-- and failures are short-lived operational state: they are not part of the audit log's
-- verified state, but sign-ins, sign-outs and every change to an account or token are logged.

create table accounts (
    id text primary key,
    username text not null unique,
    display_name text not null,
    password_hash text not null,
    role text not null,
    organisation_id text references organisations (id),
    products text not null,
    totp_secret text,
    totp_enabled boolean not null,
    disabled boolean not null,
    created_at text not null,
    last_used_at text
);

create table sessions (
    token_hash text primary key,
    account_id text not null references accounts (id),
    csrf_token text not null,
    created_at text not null,
    last_seen_at text not null,
    second_factor_done boolean not null,
    address text not null
);
create index sessions_account on sessions (account_id);

create table api_tokens (
    id text primary key,
    token_hash text not null unique,
    name text not null,
    role text not null,
    organisation_id text references organisations (id),
    products text not null,
    created_by text not null,
    created_at text not null,
    expires_at text not null,
    revoked_at text
);

create table login_failures (
    id text primary key,
    failure_key text not null,
    at text not null
);
create index login_failures_key on login_failures (failure_key, at);
