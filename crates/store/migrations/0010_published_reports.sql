-- Published programme reports. A published report is never changed or removed: nothing in
-- cncl updates or deletes these rows, and each is an audit entry (its files by SHA-256).
-- It names what it was computed from (the as-of date, the criteria set, the audit log's head)
-- and the address printed on it (base_url), so that it can be rebuilt from the log and compared. Files are kept as base64 text: one
-- column type for both backends.
create table published_reports (
    id text primary key,
    quarter text not null,
    lang text not null,
    as_of text not null,
    issued_on text not null,
    criteria_set text not null,
    audit_seq bigint not null,
    audit_hash text not null,
    base_url text not null,
    published_at text not null,
    published_by text not null
);

create table published_report_files (
    report_id text not null references published_reports (id),
    format text not null,
    sha256 text not null unique,
    size bigint not null,
    content_base64 text not null,
    primary key (report_id, format)
);
