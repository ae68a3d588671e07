-- Background work and what it leaves for people. Operational state, like sessions: not part
-- of the audit log's verified state.
--
-- A job runs once: `dedupe_key` is unique, so planning the same work twice (a restart,
-- several instances) adds nothing; a worker claims a job by setting `locked_by` and
-- `locked_until` (on PostgreSQL with `for update skip locked`), and a claim whose lease ran
-- out is taken again. Each attempt is recorded.
create table jobs (
    id text primary key,
    kind text not null,
    payload text not null,
    dedupe_key text not null unique,
    run_at text not null,
    status text not null,
    attempts bigint not null,
    max_attempts bigint not null,
    locked_by text,
    locked_until text,
    last_error text,
    created_at text not null,
    finished_at text
);
create index jobs_due on jobs (status, run_at);

create table job_attempts (
    id text primary key,
    job_id text not null references jobs (id),
    attempt bigint not null,
    worker text not null,
    started_at text not null,
    finished_at text not null,
    outcome text not null,
    error text
);
create index job_attempts_job on job_attempts (job_id, attempt);

-- How an account is reached: its e-mail address, and the person it is (a task's lead, a
-- product's chief engineer), so that reminders find the people accountable.
create table account_contacts (
    account_id text primary key references accounts (id),
    email text,
    person_id text references people (id)
);
create index account_contacts_person on account_contacts (person_id);

-- What an account is told in the application: one per account and thing told.
create table notifications (
    id text primary key,
    account_id text not null references accounts (id),
    dedupe_key text not null,
    title_vi text not null,
    title_en text not null,
    body_vi text not null,
    body_en text not null,
    link text not null,
    created_at text not null,
    read_at text,
    unique (account_id, dedupe_key)
);
create index notifications_account on notifications (account_id, created_at);
