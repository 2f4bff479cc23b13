-- Match weights estimated by EM from the store (#6, POST /admin/identity/weights/estimate). The newest row is in force
-- on every hub (each hub re-reads it); configuration overrides (hub.identity.weights.*) still win per comparison.
create table match_weights (
    id            bigserial primary key,
    estimated_at  timestamptz not null default now(),
    records       integer     not null,           -- person records the estimate was made from
    settings      jsonb       not null,           -- {"prior": p, "m": {"FIRST_NAME": [...]}, "u": {...}}
    withdrawn_at  timestamptz                     -- set by DELETE /admin/identity/weights/estimate
);
