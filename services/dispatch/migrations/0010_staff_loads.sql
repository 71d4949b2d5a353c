-- R-CB-3's open load per person is a projection of the assignment streams (issue 17): it moves out of the
-- staff directory into its own table, so a state rebuild can empty and refill it without touching the
-- directory. A person without a row has no open callback and none assigned yet.
CREATE TABLE staff_loads (
    staff_id       text PRIMARY KEY,
    -- Open callbacks assigned and not yet completed or failed: the load balanced on.
    open_load      int NOT NULL DEFAULT 0 CHECK (open_load >= 0),
    -- Assignments of the latest duty day assigned on, the first tie-break.
    assigned_day   date,
    assigned_today int NOT NULL DEFAULT 0
);

INSERT INTO staff_loads (staff_id, open_load, assigned_day, assigned_today)
SELECT staff_id, open_load, assigned_day, assigned_today FROM staff
WHERE open_load > 0 OR assigned_day IS NOT NULL;

ALTER TABLE staff DROP COLUMN open_load, DROP COLUMN assigned_day, DROP COLUMN assigned_today;
