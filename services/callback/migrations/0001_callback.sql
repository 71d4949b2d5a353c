-- Callback service: estates it knows, policies and their versions, callbacks with their timers,
-- the month's closed orders (sample populations) and the samples drawn. Every row carries group and estate.

CREATE TABLE IF NOT EXISTS estates (
    group_id   text        NOT NULL,
    estate_id  text        PRIMARY KEY,
    name       text        NOT NULL,
    preset     text        NOT NULL,
    timezone   text        NOT NULL DEFAULT 'Asia/Shanghai',
    calendar   text        NOT NULL DEFAULT 'cn-mainland',
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS estates_group ON estates (group_id);

-- One row per version; estate_id NULL is the group's policy, overridden by an estate's own.
CREATE TABLE IF NOT EXISTS policies (
    policy_id  text        NOT NULL,
    version    int         NOT NULL CHECK (version > 0),
    group_id   text        NOT NULL,
    estate_id  text,
    name       text        NOT NULL,
    body       jsonb       NOT NULL,
    changed_by text,
    changed_at timestamptz NOT NULL,
    PRIMARY KEY (policy_id, version)
);
-- One policy per group (estate NULL) and per estate: a change is a new version of it.
CREATE UNIQUE INDEX IF NOT EXISTS policies_one_per_scope
    ON policies (group_id, coalesce(estate_id, '')) WHERE version = 1;

CREATE TABLE IF NOT EXISTS callbacks (
    callback_id      text        PRIMARY KEY,
    group_id         text        NOT NULL,
    estate_id        text        NOT NULL,
    source_type      text        NOT NULL,
    source_id        text        NOT NULL,
    kind             text        NOT NULL,
    round            int         NOT NULL DEFAULT 1,
    rule_id          text        NOT NULL,
    policy_id        text        NOT NULL,
    policy_version   int         NOT NULL,
    window_start     timestamptz NOT NULL,
    due_at           timestamptz NOT NULL,
    deadline         timestamptz NOT NULL,
    method           text        NOT NULL,
    caller_role      text        NOT NULL,
    escalation       jsonb       NOT NULL DEFAULT '[]',
    reopen_cap       int         NOT NULL DEFAULT 3,
    max_attempts     int         NOT NULL,
    mandatory        boolean     NOT NULL DEFAULT false,
    sampled          boolean     NOT NULL DEFAULT false,
    sample_id        text,
    unit_id          text,
    department       text,
    erp_id           text,
    state            text        NOT NULL DEFAULT 'scheduled',
    satisfied        boolean,
    attempts_used    int         NOT NULL DEFAULT 0,
    correlation_id   uuid,
    cause_event_id   uuid,
    created_at       timestamptz NOT NULL,
    due_emitted_at   timestamptz,
    overdue_at       timestamptz,
    closed_at        timestamptz,
    UNIQUE (source_type, source_id, rule_id, round)
);
-- The timer loop's two queues: only open rows are indexed, so the scan stays small as history grows.
CREATE INDEX IF NOT EXISTS callbacks_to_become_due ON callbacks (due_at) WHERE state = 'scheduled';
CREATE INDEX IF NOT EXISTS callbacks_to_become_overdue ON callbacks (deadline) WHERE state IN ('scheduled', 'due');
CREATE INDEX IF NOT EXISTS callbacks_scope ON callbacks (group_id, estate_id, state, due_at);
CREATE INDEX IF NOT EXISTS callbacks_unit_recent ON callbacks (estate_id, unit_id, created_at) WHERE NOT mandatory;

-- R-CB-4: the population of a month's sample, kept from OrderClosed.
CREATE TABLE IF NOT EXISTS closed_orders (
    order_id    text        PRIMARY KEY,
    group_id    text        NOT NULL,
    estate_id   text        NOT NULL,
    kind        text        NOT NULL,
    category    text        NOT NULL,
    subcategory text,
    unit_id     text,
    department  text,
    requester_name  text,
    requester_phone text,
    erp_id      text,
    urgent      boolean     NOT NULL,
    closed_at   timestamptz NOT NULL,
    local_month text        NOT NULL,
    correlation_id uuid
);
CREATE INDEX IF NOT EXISTS closed_orders_population ON closed_orders (estate_id, local_month, kind) WHERE NOT urgent;

-- R-CB-13: one sample per estate, month and rule, ever (the unique key is the exactly-once guard).
CREATE TABLE IF NOT EXISTS samples (
    sample_id      text        PRIMARY KEY,
    group_id       text        NOT NULL,
    estate_id      text        NOT NULL,
    month          text        NOT NULL,
    rule_id        text        NOT NULL,
    request_kind   text        NOT NULL,
    policy_id      text        NOT NULL,
    policy_version int         NOT NULL,
    seed           text        NOT NULL,
    algorithm      text        NOT NULL,
    population     jsonb       NOT NULL,
    chosen         jsonb       NOT NULL,
    door_count     int         NOT NULL,
    excluded       jsonb       NOT NULL DEFAULT '[]',
    drawn_at       timestamptz NOT NULL,
    requested_by   text,
    UNIQUE (estate_id, month, rule_id)
);
CREATE INDEX IF NOT EXISTS samples_scope ON samples (group_id, estate_id, month);
