-- Each run of an import from a watched folder: when, what it found and what it did, so that an
-- administrator can see every night's extract was taken, or why not.
CREATE TABLE import_runs (
    id {{identity}},
    started_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ NOT NULL,
    -- The folder the extract was read from.
    source TEXT NOT NULL,
    -- The files taken (names, sizes and times), so that the same extract is not run again.
    fingerprint TEXT NOT NULL,
    -- imported, unchanged, refused or failed.
    outcome TEXT NOT NULL,
    -- The import's own account: who it brought, each table's rows, or every problem.
    summary TEXT NOT NULL,
    events BIGINT NOT NULL
);
