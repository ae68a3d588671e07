-- How the programme is run: the order's fields, the record of every lifecycle command,
-- milestones and deliverables, progress reports, people in charge, the Task Force,
-- disbursements, and proposals with their reviews.

alter table tasks add column problem text;
alter table tasks add column deadline text;

-- Every lifecycle command of a task: who, when (the clock of the server), on which date it
-- took effect, why and with what details.
create table task_events (
    id text primary key,
    task_id text not null references tasks (id),
    command text not null,
    from_status text not null,
    to_status text not null,
    actor text not null,
    recorded_at text not null,
    effective_on text,
    details text not null
);
create index task_events_task on task_events (task_id, recorded_at);

create table task_milestones (
    id text primary key,
    task_id text not null references tasks (id),
    name text not null,
    due_on text not null,
    completed_on text
);
create index task_milestones_task on task_milestones (task_id);

create table deliverables (
    id text primary key,
    task_id text not null references tasks (id),
    name text not null,
    acceptance_criteria text not null,
    due_on text not null,
    delivered_on text
);
create index deliverables_task on deliverables (task_id);

create table progress_reports (
    id text primary key,
    task_id text not null references tasks (id),
    year bigint not null,
    quarter bigint not null,
    progress_percent bigint not null,
    summary text not null,
    spent_central_state_vnd bigint not null,
    spent_local_state_vnd bigint not null,
    spent_enterprise_vnd bigint not null,
    spent_private_vnd bigint not null,
    spent_other_vnd bigint not null,
    outputs text,
    risks text,
    status text not null,
    submitted_on text,
    reviewed_on text,
    return_reason text,
    unique (task_id, year, quarter)
);

-- Every state change of a progress report, as for tasks.
create table report_events (
    id text primary key,
    report_id text not null references progress_reports (id),
    command text not null,
    from_status text not null,
    to_status text not null,
    actor text not null,
    recorded_at text not null,
    effective_on text,
    details text not null
);
create index report_events_report on report_events (report_id, recorded_at);

create table appointments (
    id text primary key,
    person_id text not null references people (id),
    role text not null,
    product_code text not null references products (code),
    task_group_code text references task_groups (code),
    appointed_on text not null,
    decision_number text not null,
    ends_on text
);
create index appointments_product on appointments (product_code);

create table task_force_documents (
    id text primary key,
    kind text not null,
    number text not null unique,
    issued_on text not null,
    title text not null
);

create table task_force_members (
    id text primary key,
    person_id text not null references people (id),
    position text not null,
    office text not null,
    decision_id text not null references task_force_documents (id),
    from_on text not null,
    until_on text
);

create table disbursements (
    id text primary key,
    budget_line_id text not null references budget_lines (id),
    disbursed_on text not null,
    amount_vnd bigint not null,
    document text
);
create index disbursements_budget_line on disbursements (budget_line_id);

create table proposals (
    id text primary key,
    task_id text not null references tasks (id),
    organisation_id text not null references organisations (id),
    lead_person_id text not null references people (id),
    title text not null,
    summary text,
    submitted_on text not null,
    status text not null,
    unique (task_id, organisation_id)
);

create table proposal_reviews (
    id text primary key,
    proposal_id text not null references proposals (id),
    reviewer_id text not null references people (id),
    national_problem bigint not null,
    commercialisation bigint not null,
    core_technology bigint not null,
    comment text,
    reviewed_on text not null,
    unique (proposal_id, reviewer_id)
);
