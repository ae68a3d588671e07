-- How an owner's own workbooks (not made from cncl's templates) map onto records, saved
-- from the import preview and used for the next upload. The owner is an organisation's id
-- or 'office'. For a column, kind is the kind of record (its resource name), header the
-- column's header folded (accents and case aside), and target the field it holds ('' for a
-- column to leave out); for a sheet, kind is '*', header the sheet's name folded, and
-- target the kind of record it holds.
create table import_mappings (
    owner text not null,
    kind text not null,
    header text not null,
    target text not null,
    primary key (owner, kind, header)
);
