-- The programme's schema. The same file, with the same name, exists for PostgreSQL; keep the
-- two identical unless a backend truly needs other SQL (see docs/decisions/0001-store.md).
-- Ids are UUID text, dates are ISO-8601 text (YYYY-MM-DD, so they sort as dates), money is
-- whole đồng in bigint, sets are JSON text.

create table programme (
    code text primary key,
    decision text not null,
    name_vi text not null,
    name_en text not null,
    managing_body_vi text not null,
    managing_body_en text not null,
    starts_on text not null,
    ends_on text not null,
    source text not null
);

create table products (
    code text primary key,
    programme_code text not null references programme (code),
    ordinal bigint not null,
    name_vi text not null,
    name_en text not null,
    starts_on text not null,
    source text not null
);

create table task_groups (
    code text primary key,
    programme_code text not null references programme (code),
    ordinal bigint not null,
    name_vi text not null,
    name_en text not null,
    source text not null
);

create table criteria_sets (
    id text primary key,
    version text not null,
    name_vi text not null,
    name_en text not null,
    source text not null,
    parameters text not null,
    body text not null
);

create table milestones (
    set_id text not null references criteria_sets (id),
    milestone_date text not null,
    name_vi text not null,
    name_en text not null,
    source text not null,
    primary key (set_id, milestone_date)
);

create table criteria (
    set_id text not null references criteria_sets (id),
    id text not null,
    ordinal bigint not null,
    name_vi text not null,
    name_en text not null,
    scope text not null,
    indicator text not null,
    unit text not null,
    direction text not null,
    comparator text not null,
    is_constraint boolean not null,
    source text not null,
    targets text not null,
    parameters text not null,
    primary key (set_id, id)
);

create table organisations (
    id text primary key,
    name text not null,
    kind text not null,
    tax_code text not null unique,
    province text not null,
    ownership text not null,
    scale_usd bigint
);

create table certifications (
    id text primary key,
    organisation_id text not null references organisations (id),
    standard text not null,
    certified_on text not null,
    certifier text,
    expires_on text
);
create index certifications_organisation on certifications (organisation_id);

create table people (
    id text primary key,
    full_name text not null,
    organisation_id text references organisations (id),
    roles text not null,
    expert_origin text not null,
    title text
);
create index people_organisation on people (organisation_id);

create table tasks (
    id text primary key,
    code text not null unique,
    title text not null,
    product_code text not null references products (code),
    task_group_code text not null references task_groups (code),
    origin text not null,
    is_research boolean not null,
    dual_use boolean not null,
    status text not null,
    lead_person_id text references people (id),
    scope text,
    responsibility text,
    starts_on text,
    ends_on text,
    approving_body text,
    delegated_authority text,
    expected_product text,
    budget_ceiling_vnd bigint,
    assigned_on text,
    accepted_on text
);
create index tasks_product on tasks (product_code);
create index tasks_status on tasks (status);

create table task_participants (
    id text primary key,
    task_id text not null references tasks (id),
    organisation_id text not null references organisations (id),
    role text not null,
    unique (task_id, organisation_id)
);
create index task_participants_organisation on task_participants (organisation_id);

create table budget_lines (
    id text primary key,
    task_id text not null references tasks (id),
    year bigint not null,
    source text not null,
    amount_vnd bigint not null
);
create index budget_lines_task on budget_lines (task_id);

create table state_st_spending (
    id text primary key,
    year bigint not null unique,
    amount_vnd bigint not null,
    source_document text
);

create table core_technologies (
    id text primary key,
    product_code text not null references products (code),
    parent_id text references core_technologies (id),
    name text not null,
    weight bigint not null,
    description text
);
create index core_technologies_product on core_technologies (product_code);
create index core_technologies_parent on core_technologies (parent_id);

create table technology_assessments (
    id text primary key,
    technology_id text not null references core_technologies (id),
    assessed_on text not null,
    trl bigint not null,
    mastery text not null,
    evidence text not null,
    assessor_id text references people (id)
);
create index technology_assessments_technology on technology_assessments (technology_id);

create table publications (
    id text primary key,
    task_id text not null references tasks (id),
    title text not null,
    journal text not null,
    issn text not null,
    accredited boolean not null,
    published_on text not null,
    doi text
);
create index publications_task on publications (task_id);

create table ip_applications (
    id text primary key,
    task_id text not null references tasks (id),
    title text not null,
    kind text not null,
    number text not null,
    filed_on text not null,
    accepted_on text,
    granted_on text
);
create index ip_applications_task on ip_applications (task_id);

create table research_outcomes (
    id text primary key,
    task_id text not null references tasks (id),
    title text not null,
    kind text not null,
    recorded_on text not null,
    application text,
    applied_on text,
    application_evidence text
);
create index research_outcomes_task on research_outcomes (task_id);

create table dual_use_demonstrations (
    id text primary key,
    task_id text not null references tasks (id),
    sector text not null,
    demonstrated_on text not null,
    description text not null
);
create index dual_use_demonstrations_task on dual_use_demonstrations (task_id);

create table product_models (
    id text primary key,
    product_code text not null references products (code),
    maker_id text not null references organisations (id),
    name text not null,
    selling_price_vnd bigint not null,
    launched_on text
);
create index product_models_product on product_models (product_code);
create index product_models_maker on product_models (maker_id);

create table bom_lines (
    id text primary key,
    model_id text not null references product_models (id),
    parent_line_id text references bom_lines (id),
    component text not null,
    quantity bigint not null,
    unit_cost_vnd bigint not null,
    origin text not null,
    supplier_id text references organisations (id)
);
create index bom_lines_model on bom_lines (model_id, id);
create index bom_lines_parent on bom_lines (parent_line_id);

create table cost_lines (
    id text primary key,
    model_id text not null references product_models (id),
    category text not null,
    origin text not null,
    amount_vnd bigint not null,
    description text
);
create index cost_lines_model on cost_lines (model_id);

create table model_sales (
    id text primary key,
    model_id text not null references product_models (id),
    year bigint not null,
    domestic_units bigint not null,
    export_units bigint not null,
    unique (model_id, year)
);

create table market_sizes (
    id text primary key,
    product_code text not null references products (code),
    year bigint not null,
    domestic_vnd bigint not null,
    source text,
    unique (product_code, year)
);

create table training_records (
    id text primary key,
    year bigint not null,
    count bigint not null,
    level text not null,
    organisation_id text references organisations (id),
    product_code text references products (code),
    course text
);

create table laboratories (
    id text primary key,
    name text not null,
    kind text not null,
    open_model boolean not null,
    organisation_id text references organisations (id),
    established_on text
);

create table strategic_industries (
    id text primary key,
    name text not null,
    product_codes text not null,
    formed_on text not null,
    evidence text not null
);
