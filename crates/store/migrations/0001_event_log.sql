-- The event log: every change to every record, in the order it was recorded. A stream is one
-- child, worker or team; (stream, version) is unique so that two saves expecting the same version
-- cannot both land.
CREATE TABLE events (
    seq {{identity}},
    stream TEXT NOT NULL,
    version BIGINT NOT NULL,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    actor TEXT NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL,
    UNIQUE (stream, version)
);

-- Every read of a child's record: who, when, which record and why.
CREATE TABLE access_log (
    id {{identity}},
    at TIMESTAMPTZ NOT NULL,
    actor TEXT NOT NULL,
    stream TEXT NOT NULL,
    record TEXT,
    reason TEXT NOT NULL
);

CREATE INDEX access_log_by_stream ON access_log (stream, at);
CREATE INDEX access_log_by_actor ON access_log (actor, at);
