-- Sign-in attempts counted per key (an account, an account at an address, an address) in a
-- window. One row per key, raised by an atomic upsert before the password is checked, so
-- that parallel attempts cannot all pass the check before any failure is recorded (on
-- either backend, and across app instances). Replaces the failure log, which counted only
-- after each check.
drop table login_failures;

create table sign_in_counters (
    counter_key text primary key,
    window_started_at text not null,
    attempts bigint not null
);
