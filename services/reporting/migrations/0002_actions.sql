-- State owned by reporting itself (not projections: a rebuild never empties these).

-- R-SV-5: targets per group (estate_id '*') or per estate; the estate's own target wins.
CREATE TABLE targets (
    group_id       text NOT NULL,
    estate_id      text NOT NULL,
    metric         text NOT NULL,
    dimension      text NOT NULL DEFAULT '',
    target_percent numeric(5, 2) NOT NULL CHECK (target_percent BETWEEN 0 AND 100),
    set_by         text NOT NULL,
    set_at         timestamptz NOT NULL,
    PRIMARY KEY (group_id, estate_id, metric, dimension)
);

-- A month is closed once per estate, by the clock (the loop) or on request.
CREATE TABLE closed_months (
    group_id  text NOT NULL,
    estate_id text NOT NULL,
    month     text NOT NULL,
    closed_at timestamptz NOT NULL,
    closed_by text NOT NULL,
    PRIMARY KEY (group_id, estate_id, month)
);

-- R-SV-5: one corrective-action notice per estate, month and KPI, enforced here.
CREATE TABLE corrective_actions (
    action_id      text PRIMARY KEY,
    group_id       text NOT NULL,
    estate_id      text NOT NULL,
    period         text NOT NULL,
    metric         text NOT NULL,
    dimension      text NOT NULL DEFAULT '',
    target_percent numeric(5, 2) NOT NULL,
    actual_percent numeric(5, 2) NOT NULL,
    numerator      integer NOT NULL,
    denominator    integer NOT NULL,
    deadline       timestamptz NOT NULL,
    issued_at      timestamptz NOT NULL,
    verified_at    timestamptz,
    verified_by    text,
    effective      boolean,
    verified_percent numeric(5, 2),
    note           text,
    UNIQUE (group_id, estate_id, period, metric, dimension)
);

-- R-RP-3: the office manager's comment on the monthly complaint dispatch summary.
CREATE TABLE summary_comments (
    group_id   text NOT NULL,
    estate_id  text NOT NULL,
    summary    text NOT NULL,
    period     text NOT NULL,
    comment    text NOT NULL,
    written_by text NOT NULL,
    written_at timestamptz NOT NULL,
    PRIMARY KEY (group_id, estate_id, summary, period)
);
