-- Survey's own tables: projections of other services' facts, and what residents said.
-- Every row carries group_id and estate_id (tenancy); times are UTC (timestamptz).

CREATE TABLE estates (
    group_id       text NOT NULL,
    estate_id      text NOT NULL,
    name           text NOT NULL,
    timezone       text NOT NULL DEFAULT 'Asia/Shanghai',
    preset         text,
    household_count integer,
    callback_scale text NOT NULL DEFAULT 'four_level',
    PRIMARY KEY (group_id, estate_id)
);

CREATE TABLE staff (
    group_id   text NOT NULL,
    estate_id  text NOT NULL,
    staff_id   text NOT NULL,
    name       text NOT NULL,
    role       text NOT NULL,
    department text,
    PRIMARY KEY (group_id, staff_id)
);

-- One row per callback, filled by CallbackScheduled and CallbackAssigned/Reassigned in whatever order
-- they arrive (different topics): each upsert sets only its own columns.
CREATE TABLE callbacks (
    callback_id           text PRIMARY KEY,
    group_id              text NOT NULL,
    estate_id             text NOT NULL,
    scheduled             boolean NOT NULL DEFAULT false,
    kind                  text,
    source_id             text,
    method                text,
    caller_role           text,
    window_start          timestamptz,
    due_at                timestamptz,
    deadline              timestamptz,
    max_attempts          integer NOT NULL DEFAULT 1,
    retry_spacing_minutes integer NOT NULL DEFAULT 0,
    scale                 text,
    unit_id               text,
    requester_name        text,
    requester_phone       text,
    category              text,
    department            text,
    round                 integer NOT NULL DEFAULT 1,
    scheduled_event_id    uuid,
    correlation_id        uuid,
    assignee_id           text,
    assigned_at           timestamptz,
    status                text NOT NULL DEFAULT 'open',
    attempts_used         integer NOT NULL DEFAULT 0
);
CREATE INDEX callbacks_scope ON callbacks (group_id, estate_id, status);
CREATE INDEX callbacks_assignee ON callbacks (group_id, assignee_id, status);

CREATE TABLE callback_attempts (
    callback_id       text NOT NULL REFERENCES callbacks (callback_id),
    attempt_no        integer NOT NULL,
    group_id          text NOT NULL,
    estate_id         text NOT NULL,
    caller_id         text NOT NULL,
    result            text NOT NULL,
    method            text NOT NULL,
    contacted_at      timestamptz NOT NULL,
    recorded_at       timestamptz NOT NULL,
    answered_by       text,
    relation          text,
    duration_seconds  integer,
    note              text,
    next_attempt_after timestamptz,
    record_late       boolean NOT NULL,
    PRIMARY KEY (callback_id, attempt_no)
);

CREATE TABLE callback_records (
    callback_id       text PRIMARY KEY REFERENCES callbacks (callback_id),
    group_id          text NOT NULL,
    estate_id         text NOT NULL,
    caller_id         text NOT NULL,
    method            text NOT NULL,
    completed_at      timestamptz NOT NULL,
    recorded_at       timestamptz NOT NULL,
    answered_by       text,
    relation          text,
    duration_seconds  integer,
    ratings           jsonb NOT NULL,
    satisfied_or_fair boolean NOT NULL,
    comments          text,
    suggestions       text,
    late              boolean NOT NULL,
    record_late       boolean NOT NULL,
    attempts_used     integer NOT NULL
);
CREATE INDEX callback_records_scope ON callback_records (group_id, estate_id, completed_at);

CREATE TABLE raised_issues (
    issue_id     text PRIMARY KEY,
    callback_id  text NOT NULL REFERENCES callbacks (callback_id),
    group_id     text NOT NULL,
    estate_id    text NOT NULL,
    description  text NOT NULL,
    category     text,
    subcategory  text,
    recorded_by  text NOT NULL,
    recorded_at  timestamptz NOT NULL
);

-- Idempotent submissions: the first request with a key stores its response; a repeat gets it back.
CREATE TABLE submissions (
    group_id      text NOT NULL,
    submission_id text NOT NULL,
    resource      text NOT NULL,
    status_code   integer,
    response      jsonb,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (group_id, submission_id)
);

CREATE TABLE campaigns (
    campaign_id    text PRIMARY KEY,
    group_id       text NOT NULL,
    estate_id      text NOT NULL,
    title          text NOT NULL,
    kind           text NOT NULL,
    channels       text[] NOT NULL,
    dimensions     text[] NOT NULL,
    opens_at       timestamptz NOT NULL,
    closes_at      timestamptz,
    issued_count   integer NOT NULL DEFAULT 0,
    returned_count integer NOT NULL DEFAULT 0,
    status         text NOT NULL DEFAULT 'open',
    opened_event_id uuid NOT NULL,
    CHECK (returned_count <= issued_count)
);
CREATE INDEX campaigns_scope ON campaigns (group_id, estate_id, status);

CREATE TABLE questionnaires (
    questionnaire_id text PRIMARY KEY,
    campaign_id      text NOT NULL REFERENCES campaigns (campaign_id),
    group_id         text NOT NULL,
    estate_id        text NOT NULL,
    unit_id          text,
    channel          text NOT NULL,
    answers          jsonb NOT NULL,
    comments         text,
    returned_at      timestamptz NOT NULL
);
CREATE INDEX questionnaires_campaign ON questionnaires (campaign_id);

-- Per-household links; only the token's SHA-256 is kept.
CREATE TABLE ballots (
    token_digest  text PRIMARY KEY,
    kind          text NOT NULL,
    group_id      text NOT NULL,
    estate_id     text NOT NULL,
    campaign_id   text REFERENCES campaigns (campaign_id),
    callback_id   text REFERENCES callbacks (callback_id),
    unit_id       text,
    issued_at     timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    used_at       timestamptz,
    CHECK ((kind = 'questionnaire') = (campaign_id IS NOT NULL)),
    CHECK ((kind = 'callback') = (callback_id IS NOT NULL))
);
