-- Cursors of the HTTP pollers (routes/http-poller.yaml): where each poller resumes after a restart. A cursor moves
-- only after the items it covers are on hub.inbound, so a crash re-reads (event ids make that a no-op) and never skips.
create table poller_cursors (
    poller_id   text        primary key,
    cursor      text        not null,
    updated_at  timestamptz not null default now()
);
