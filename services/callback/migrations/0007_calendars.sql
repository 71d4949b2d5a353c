-- R-CB-2 (issue 18 §6): a deadline counted over a year known only by its statutory rules is provisional
-- until the year's schedule is loaded; the schedules operators load per group, a projection of their
-- `calendar-<group>-<year>` streams.
ALTER TABLE callbacks ADD COLUMN IF NOT EXISTS deadline_provisional boolean NOT NULL DEFAULT false;
CREATE INDEX IF NOT EXISTS callbacks_provisional ON callbacks (group_id, deadline)
    WHERE deadline_provisional AND state IN ('scheduled', 'due');

CREATE TABLE IF NOT EXISTS calendar_schedules (
    group_id   text        NOT NULL,
    year       int         NOT NULL,
    holidays   jsonb       NOT NULL,
    workdays   jsonb       NOT NULL,
    source     text        NOT NULL,
    loaded_by  text,
    loaded_at  timestamptz NOT NULL,
    PRIMARY KEY (group_id, year)
);
