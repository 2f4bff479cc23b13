-- Touchpoint Hub core schema: raw events, customers and their identity keys, observations, timeline,
-- outbox (core to delivery) and dead letters. One PostgreSQL transaction per event writes these together.

create table events (
    id            bigserial primary key,
    connector     text        not null,
    event_id      text        not null,
    event_type    text,
    received_at   timestamptz not null,
    processed_at  timestamptz not null default now(),
    content_type  text,
    payload       bytea       not null,
    outcome       text        not null,          -- mapped | skipped | spam | dead-letter
    detail        text,
    constraint events_connector_event_uk unique (connector, event_id)
);

create table customers (
    id           bigserial primary key,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now(),
    golden       jsonb       not null default '{}'::jsonb,   -- attribute -> {v, p, t, s}
    crm_ids      jsonb       not null default '{}'::jsonb,   -- object -> CRM id
    merged_into  bigint      references customers (id)
);

-- One identity key belongs to one customer: the unique constraint, together with transaction-scoped advisory
-- locks on the keys an event touches, keeps two concurrent events for one person from creating two customers.
create table identity_keys (
    kind         text   not null,    -- email | phone | ext:<source>
    value        text   not null,
    customer_id  bigint not null references customers (id),
    created_at   timestamptz not null default now(),
    primary key (kind, value)
);
create index identity_keys_customer_ix on identity_keys (customer_id);

create table touchpoints (
    id             bigserial primary key,
    customer_id    bigint      not null references customers (id),
    touchpoint_key text        not null unique,             -- connector:event id[#item]
    connector      text        not null,
    event_id       text        not null,
    type           text        not null,
    channel        text,
    occurred_at    timestamptz not null,
    summary        text,
    attributes     jsonb       not null default '{}'::jsonb,
    recorded_at    timestamptz not null default now(),
    delivered_at   timestamptz
);
create index touchpoints_customer_ix on touchpoints (customer_id, occurred_at);

create table observations (
    id             bigserial primary key,
    customer_id    bigint      not null references customers (id),
    touchpoint_id  bigint      references touchpoints (id),
    attribute      text        not null,
    value          text        not null,
    source         text        not null,
    priority       int         not null,
    observed_at    timestamptz not null
);
create index observations_customer_ix on observations (customer_id);

-- One row per changed customer; the delivery loop claims due rows with FOR UPDATE SKIP LOCKED.
create table outbox (
    customer_id  bigint      primary key references customers (id),
    changed_at   timestamptz not null default now(),
    due_at       timestamptz not null default now(),
    attempts     int         not null default 0,
    last_error   text
);
create index outbox_due_ix on outbox (due_at);

create table dead_letters (
    id            bigserial primary key,
    created_at    timestamptz not null default now(),
    stage         text        not null,          -- process | deliver
    connector     text,
    event_id      text,
    reason        text        not null,
    content_type  text,
    payload       bytea,
    customer_id   bigint,
    crm_object    text,
    crm_code      text,
    crm_message   text,
    status        text        not null default 'open',   -- open | replayed
    replayed_at   timestamptz
);
create index dead_letters_status_ix on dead_letters (status, created_at);
