-- Idempotent consumption: one row per (consumer, event id), inserted first in the transaction that
-- applies the event's effects. No row inserted means the event was already applied: skip it.
CREATE TABLE IF NOT EXISTS inbox (
    consumer     text        NOT NULL,
    event_id     uuid        NOT NULL,
    event_type   text        NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
