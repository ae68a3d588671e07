-- The tamper-evident audit log. Every write appends an entry in the same transaction;
-- each entry's hash covers the previous entry's hash, so changing, removing or reordering
-- any entry breaks the chain from there on. `audit_head` holds the last sequence number and
-- hash; taking it with `update … returning` serialises writers on both backends.

create table audit_head (
    id bigint primary key,
    seq bigint not null,
    hash text not null
);
insert into audit_head (id, seq, hash) values (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

create table audit_log (
    seq bigint primary key,
    at text not null,
    actor text not null,
    action text not null,
    entity text not null,
    entity_id text not null,
    -- The record before and after, as canonical JSON; erased (null, redacted) when a person's
    -- data is erased on request. The digests stay, so the chain still verifies.
    before_json text,
    after_json text,
    before_digest text,
    after_digest text,
    redacted boolean not null,
    prev_hash text not null,
    hash text not null
);
create index audit_log_entity on audit_log (entity, entity_id, seq);
create index audit_log_actor on audit_log (actor, seq);
create index audit_log_at on audit_log (at, seq);
