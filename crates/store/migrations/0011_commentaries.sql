-- A product's assessment for a quarter by its chief engineer or the office (what moved, what
-- is at risk, what is being done), printed in the quarterly report beside its figures.
create table commentaries (
    id text primary key,
    product_code text not null references products (code),
    year bigint not null,
    quarter bigint not null,
    written_on text not null,
    progress text not null,
    risks text,
    actions text,
    unique (product_code, year, quarter)
);
