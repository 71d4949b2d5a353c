-- R-OP-3: a monthly roster per service center, duty 08:30 to 08:30 the next day (estate-local);
-- leave and swaps take a supervisor's approval before they change who is on duty.

CREATE TABLE rosters (
    roster_id      text PRIMARY KEY,
    group_id       text NOT NULL,
    estate_id      text NOT NULL,
    service_center text NOT NULL,
    month          text NOT NULL CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    status         text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
    created_by     text NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    published_by   text,
    published_at   timestamptz,
    -- Published after the month began: R-OP-3 asks for it before month end; kept visible, not hidden.
    published_late boolean NOT NULL DEFAULT false,
    UNIQUE (group_id, estate_id, service_center, month)
);

-- One row per person per duty day; the duty day starts at 08:30 estate-local on duty_date.
CREATE TABLE roster_shifts (
    roster_id  text NOT NULL REFERENCES rosters (roster_id) ON DELETE CASCADE,
    group_id   text NOT NULL,
    estate_id  text NOT NULL,
    duty_date  date NOT NULL,
    staff_id   text NOT NULL,
    PRIMARY KEY (roster_id, duty_date, staff_id)
);
CREATE INDEX roster_shifts_by_day ON roster_shifts (group_id, estate_id, duty_date);

CREATE TABLE roster_changes (
    change_id     text PRIMARY KEY,
    roster_id     text NOT NULL REFERENCES rosters (roster_id),
    group_id      text NOT NULL,
    estate_id     text NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('leave', 'swap')),
    duty_date     date NOT NULL,
    staff_id      text NOT NULL,
    substitute_id text,
    swap_date     date,
    reason        text,
    status        text NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'approved', 'rejected')),
    requested_by  text NOT NULL,
    requested_at  timestamptz NOT NULL DEFAULT now(),
    decided_by    text,
    decided_at    timestamptz
);
CREATE INDEX roster_changes_by_day ON roster_changes (group_id, estate_id, duty_date) WHERE status = 'approved';
