-- People who sign in, and their role. A password is kept only as its argon2 hash.
CREATE TABLE users (
    username TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    -- The worker record of someone who holds cases, and the team they lead or belong to.
    worker BIGINT,
    team BIGINT,
    disabled BOOLEAN NOT NULL,
    failed_sign_ins BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

-- Who is signed in. The cookie carries a random token; only its hash is kept here, so a copy of
-- the database cannot be used to sign in as anyone.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    username TEXT NOT NULL REFERENCES users (username),
    created_at TIMESTAMPTZ NOT NULL,
    last_seen TIMESTAMPTZ NOT NULL
);

CREATE INDEX sessions_by_user ON sessions (username);
