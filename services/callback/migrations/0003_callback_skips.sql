-- Callbacks the policy required but did not make, and why (issue 6 §7: contact fatigue): a projection of
-- the callback streams' SkippedForFatigue, so a coverage figure can name what left its denominator.
CREATE TABLE IF NOT EXISTS callback_skips (
    callback_id     text        PRIMARY KEY,
    group_id        text        NOT NULL,
    estate_id       text        NOT NULL,
    source_type     text        NOT NULL,
    source_id       text        NOT NULL,
    rule_id         text        NOT NULL,
    unit_id         text,
    reason          text        NOT NULL,
    recent_contacts int         NOT NULL,
    max_contacts    int         NOT NULL,
    days            int         NOT NULL,
    skipped_at      timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS callback_skips_scope ON callback_skips (group_id, estate_id, skipped_at);
