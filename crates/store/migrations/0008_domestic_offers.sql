-- Supporting enterprises' offers to make imported components at home: the localisation
-- planner's input (one BOM line, or a component by name across a product's models).
create table domestic_offers (
    id text primary key,
    supplier_id text not null references organisations (id),
    product_code text not null references products (code),
    bom_line_id text references bom_lines (id),
    component text,
    unit_cost_vnd bigint not null,
    domestic_share_percent bigint not null,
    earliest_delivery_on text not null,
    trl bigint not null,
    offered_on text not null,
    valid_until text
);
create index domestic_offers_product on domestic_offers (product_code);
create index domestic_offers_supplier on domestic_offers (supplier_id);
