-- Files kept as a record's evidence: the acceptance decision, the IP certificate, the
-- publication's PDF, the test report. A document is never changed: each is an audit entry
-- naming its SHA-256. Its type is the one its content shows, not its name's. Kept as base64
-- text, as published reports are: one column type for both backends.
create table documents (
    id text primary key,
    entity text not null,
    record_id text not null,
    file_name text not null,
    media_type text not null,
    size bigint not null,
    sha256 text not null,
    content_base64 text not null,
    uploaded_by text not null,
    uploaded_at text not null
);

create index documents_by_record on documents (entity, record_id);
