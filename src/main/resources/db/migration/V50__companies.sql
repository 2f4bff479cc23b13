-- Companies (#6): one row per company domain (or per normalized name for a company seen without one), people linked
-- to their company, a parent/child hierarchy with its evidence, and firmographics filled later by a background job
-- (never inside an event's transaction).

create table companies (
    id                 bigserial   primary key,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    domain             text        unique,            -- registrable domain (acme.co.uk), or a host a source named (eu.acme.com); null: known by name only
    registrable        text,                          -- the registrable domain of domain (acme.com for eu.acme.com)
    label              text,                          -- the label before the public suffix (acme for acme.co.uk)
    normalized_name    text,                          -- CompanyNames.normalize of the name a source gave, else null
    display_name       text,                          -- the name as a source gave it
    industry           text,
    employees          text,                          -- head count (250) or band (51-200, 10000+)
    country            text,                          -- ISO 3166-1 alpha-2
    parent_domain      text,                          -- the parent the firmographic provider named
    source             text,                          -- which provider gave the firmographics (file | http)
    fetched_at         timestamptz,                   -- when the provider answered (found or not); null: to do
    enrich_outcome     text,                          -- found | not_found | rate_limited | failed
    enrich_error       text,                          -- the last failure, shown on GET /admin/companies/{id}
    enrich_attempts    int         not null default 0,
    enrich_due_at      timestamptz not null default now(),
    hierarchy_due      boolean     not null default true,  -- the hierarchy is (re)computed by the background job
    parent_id          bigint      references companies (id),
    hierarchy_reason   text,                          -- the evidence for parent_id
    check (domain is not null or normalized_name is not null),
    check (parent_id is null or parent_id <> id)
);
-- a company known only by name is one row per normalized name
create unique index companies_name_only_uk on companies (normalized_name) where domain is null;
create index companies_name_ix on companies (normalized_name) where normalized_name is not null;
create index companies_label_ix on companies (label) where label is not null;
create index companies_registrable_ix on companies (registrable) where registrable is not null;
create index companies_parent_ix on companies (parent_id) where parent_id is not null;
create index companies_enrich_due_ix on companies (enrich_due_at) where fetched_at is null;
create index companies_hierarchy_due_ix on companies (id) where hierarchy_due;

alter table customers add column company_id bigint references companies (id);
create index customers_company_ix on customers (company_id) where company_id is not null;
