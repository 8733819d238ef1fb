-- What one person recorded, by kind: a partner agency's own contacts, a recorder's work.
CREATE INDEX events_by_actor ON events (actor, kind, seq);
