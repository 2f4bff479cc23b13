-- Identity (#6): blocking index for probabilistic candidates, every match decision with its explanation,
-- possible duplicates for review, the merge ledger (so a merge can be undone) and pairs never to merge again.

-- Merges re-point customers merged into the merged one; lookups follow merged_into.
create index customers_merged_into_ix on customers (merged_into) where merged_into is not null;

-- Blocking keys per customer (they move to the survivor on merge; lookups also follow merged_into). Readers cap each key
-- at a fixed number of rows (LIMIT per key), so the cost per record stays flat as the store grows.
create table blocking_keys (
    key          text   not null,
    customer_id  bigint not null references customers (id),
    primary key (key, customer_id)
);
create index blocking_keys_customer_ix on blocking_keys (customer_id);

-- One row per resolved person of a touchpoint: how it was resolved and why (Explanation as JSON).
create table match_decisions (
    id            bigserial primary key,
    created_at    timestamptz not null default now(),
    record_key    text        not null,           -- connector:touchpoint key
    customer_id   bigint      not null references customers (id),   -- the customer the record was given
    candidate_id  bigint      references customers (id),            -- best probabilistic candidate, if any
    decision      text        not null,           -- DETERMINISTIC | MERGE | REVIEW | NO_MATCH | KEY_CONFLICT_MERGE | KEY_CONFLICT_REVIEW
    probability   double precision,
    explanation   jsonb       not null
);
create index match_decisions_customer_ix on match_decisions (customer_id);
create index match_decisions_candidate_ix on match_decisions (candidate_id);

-- Possible duplicates for a person to decide (GET /admin/review, POST /admin/review/{id}).
create table possible_duplicates (
    id            bigserial primary key,
    created_at    timestamptz not null default now(),
    customer_id   bigint      not null references customers (id),   -- the newer customer
    candidate_id  bigint      not null references customers (id),   -- the existing customer it may be
    probability   double precision not null,
    explanation   jsonb       not null,
    status        text        not null default 'open',   -- open | accepted | rejected | obsolete
    decided_at    timestamptz
);
create unique index possible_duplicates_open_uk on possible_duplicates
    (least(customer_id, candidate_id), greatest(customer_id, candidate_id)) where status = 'open';
create index possible_duplicates_status_ix on possible_duplicates (status, created_at);

-- The merge ledger: what moved from the merged customer to the survivor, so an unmerge can move it back.
create table merges (
    id              bigserial primary key,
    created_at      timestamptz not null default now(),
    survivor_id     bigint      not null references customers (id),
    merged_id       bigint      not null references customers (id),
    reason          text        not null,         -- probabilistic | key_conflict | review_accepted
    explanation     jsonb,
    touchpoint_ids  jsonb       not null default '[]'::jsonb,
    identity_keys   jsonb       not null default '[]'::jsonb,   -- [[kind, value], ...]
    repointed_ids   jsonb       not null default '[]'::jsonb,   -- customers merged into the merged one before
    undone_at       timestamptz
);
create index merges_survivor_ix on merges (survivor_id) where undone_at is null;

-- Pairs a person kept apart (rejected review, unmerge): never merged again automatically.
create table no_merge (
    customer_a   bigint      not null references customers (id),
    customer_b   bigint      not null references customers (id),
    created_at   timestamptz not null default now(),
    reason       text        not null,
    primary key (customer_a, customer_b),
    check (customer_a < customer_b)
);
