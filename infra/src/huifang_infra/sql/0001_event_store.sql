-- The event store: one append-only stream per aggregate, in every service's own database.
-- (stream_id, stream_version) is the optimistic-concurrency guard: two writers that read the same
-- version cannot both append the next one. global_position orders all streams for replays only;
-- it is assigned at insert and becomes visible at commit, so it is not a cursor for live tailing.
CREATE TABLE IF NOT EXISTS events (
    global_position bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    stream_id       text        NOT NULL,
    stream_version  int         NOT NULL CHECK (stream_version > 0),
    event_id        uuid        NOT NULL UNIQUE,
    event_type      text        NOT NULL,
    event_version   int         NOT NULL DEFAULT 1 CHECK (event_version > 0),
    group_id        text        NOT NULL,
    estate_id       text,
    data            jsonb       NOT NULL,
    metadata        jsonb       NOT NULL DEFAULT '{}'::jsonb,
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (stream_id, stream_version)
);

-- Stored events are facts: the database itself refuses to change or remove them, whatever the
-- application does. A statement-level trigger fires even when no row matches, so
-- `DELETE FROM events WHERE false` is refused too. (A table owner can still disable triggers:
-- production roles should not own this table.)
CREATE OR REPLACE FUNCTION events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events are append-only: % on % is refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END $$;

DROP TRIGGER IF EXISTS events_append_only ON events;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_refuse_change();
