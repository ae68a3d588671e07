-- Criteria sets become data: every version ever loaded is kept, keyed by set and version,
-- and the one the programme evaluates against is a setting the office changes. The sets
-- were only ever the shipped one, rewritten at each start, so nothing is carried over: the
-- next start adds the shipped set as its first version, with an audit entry.
drop table criteria;
drop table milestones;
drop table criteria_sets;

create table criteria_set_versions (
    set_id text not null,
    version text not null,
    -- The TOML as loaded; the set is re-read from it.
    body text not null,
    loaded_at text not null,
    loaded_by text not null,
    primary key (set_id, version)
);

-- Settings the office changes at run time, one row per key.
create table settings (
    key text primary key,
    value text not null
);
