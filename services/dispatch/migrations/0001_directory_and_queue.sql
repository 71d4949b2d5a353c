-- Dispatch's own state: the estates it serves, the staff directory with each person's open load,
-- and the callbacks it has to place in someone's queue. Every row carries group_id and estate_id.

CREATE TABLE estates (
    estate_id  text PRIMARY KEY,
    group_id   text NOT NULL,
    name       text NOT NULL,
    timezone   text NOT NULL DEFAULT 'Asia/Shanghai',
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE staff (
    staff_id        text PRIMARY KEY,
    group_id        text NOT NULL,
    estate_id       text NOT NULL,
    name            text NOT NULL,
    role            text NOT NULL,
    department      text,
    phone           text,
    service_center  text NOT NULL DEFAULT 'main',
    door_visits     boolean NOT NULL DEFAULT false,
    active          boolean NOT NULL DEFAULT true,
    -- Open callbacks assigned and not yet completed or failed: the load balanced on (R-CB-3 queue).
    open_load       int NOT NULL DEFAULT 0 CHECK (open_load >= 0),
    -- Assignments of the current duty day, the first tie-break; reset when the duty day changes.
    assigned_day    date,
    assigned_today  int NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX staff_by_estate_role ON staff (group_id, estate_id, role, staff_id);

CREATE TABLE callbacks (
    callback_id       text PRIMARY KEY,
    group_id          text NOT NULL,
    estate_id         text NOT NULL,
    kind              text,
    source_type       text,
    source_id         text,
    window_start      timestamptz,
    due_at            timestamptz NOT NULL,
    deadline          timestamptz NOT NULL,
    method            text NOT NULL,
    caller_role       text NOT NULL,
    apology           boolean NOT NULL DEFAULT false,
    max_attempts      int,
    round             int NOT NULL DEFAULT 1,
    department        text,
    worker_id         text,
    grade             text,
    category          text,
    subcategory       text,
    unit_id           text,
    requester_name    text,
    requester_phone   text,
    -- scheduled → assigned → accepted → completed | failed; unassigned waits for an eligible person.
    status            text NOT NULL DEFAULT 'scheduled'
                      CHECK (status IN ('scheduled', 'unassigned', 'assigned', 'accepted', 'completed', 'failed')),
    assignee_id       text,
    assignee_role     text,
    assigned_at       timestamptz,
    accepted_at       timestamptz,
    unassigned_reason text,
    unassigned_since  timestamptz,
    escalated_to_role text,
    escalated_at      timestamptz,
    overdue           boolean NOT NULL DEFAULT false,
    attempts_made     int NOT NULL DEFAULT 0,
    last_attempt_at   timestamptz,
    closed_at         timestamptz,
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX callbacks_by_assignee ON callbacks (assignee_id, status) WHERE assignee_id IS NOT NULL;
CREATE INDEX callbacks_by_estate ON callbacks (group_id, estate_id, status);
CREATE INDEX callbacks_unassigned ON callbacks (unassigned_since) WHERE status = 'unassigned';
