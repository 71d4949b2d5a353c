-- Snapshots of long streams: an aggregate's folded state at a version, so a load reads the snapshot
-- plus the events after it. A snapshot is derived (it can be deleted and is retaken); `kind` names the
-- state's shape, and a load ignores a snapshot whose kind the code no longer writes.
CREATE TABLE IF NOT EXISTS snapshots (
    stream_id  text        PRIMARY KEY,
    version    int         NOT NULL CHECK (version > 0),
    kind       text        NOT NULL,
    state      jsonb       NOT NULL,
    taken_at   timestamptz NOT NULL DEFAULT now()
);
