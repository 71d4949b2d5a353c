-- Reporting projections: one fact row per thing that happened, and a monthly roll-up per estate.
-- Every row carries group_id and estate_id (tenancy). `month` is the estate-local month (YYYY-MM) the
-- row belongs to, derived from a UTC instant and the estate's zone (Asia/Shanghai while the estate is
-- unknown); when an estate's zone changes, its facts' months are recomputed.

CREATE TABLE estates (
    group_id        text NOT NULL,
    estate_id       text NOT NULL,
    name            text NOT NULL,
    estate_type     text,
    zone            text,
    region          text,
    timezone        text NOT NULL DEFAULT 'Asia/Shanghai',
    household_count integer,
    PRIMARY KEY (group_id, estate_id)
);

-- The estate-local month of an instant; unknown estates count in Asia/Shanghai (documented default).
CREATE FUNCTION reporting_month(at timestamptz, g text, e text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT to_char(at AT TIME ZONE COALESCE(
        (SELECT timezone FROM estates WHERE group_id = g AND estate_id = e), 'Asia/Shanghai'), 'YYYY-MM')
$$;

CREATE TABLE staff (
    group_id   text NOT NULL,
    estate_id  text NOT NULL,
    staff_id   text NOT NULL,
    name       text NOT NULL,
    role       text NOT NULL,
    department text,
    PRIMARY KEY (group_id, estate_id, staff_id)
);

CREATE TABLE callbacks (
    group_id          text NOT NULL,
    estate_id         text NOT NULL,
    callback_id       text NOT NULL,
    month             text,
    seen_at           timestamptz NOT NULL,
    kind              text,
    source_type       text,
    source_id         text,
    department        text,
    category          text,
    grade             text,
    round             integer,
    sampled           boolean,
    method            text,
    due_at            timestamptz,
    deadline          timestamptz,
    assignee_id       text,
    caller_id         text,
    attempts          integer NOT NULL DEFAULT 0,
    first_attempt_at  timestamptz,
    completed_at      timestamptz,
    satisfied_or_fair boolean,
    scale             text,
    rating            text,
    late              boolean,
    answered_by       text,
    comments          text,
    failed_at         timestamptz,
    failure_reason    text,
    overdue_at        timestamptz,
    PRIMARY KEY (group_id, estate_id, callback_id)
);
CREATE INDEX callbacks_by_month ON callbacks (group_id, estate_id, month);

-- Closed work orders, renovations and other service requests: what the summaries count as handled.
CREATE TABLE sources (
    group_id    text NOT NULL,
    estate_id   text NOT NULL,
    source_type text NOT NULL,
    source_id   text NOT NULL,
    month       text,
    kind        text NOT NULL,
    category    text,
    department  text,
    closed_at   timestamptz NOT NULL,
    PRIMARY KEY (group_id, estate_id, source_type, source_id)
);
CREATE INDEX sources_by_month ON sources (group_id, estate_id, month);

CREATE TABLE complaints (
    group_id      text NOT NULL,
    estate_id     text NOT NULL,
    complaint_id  text NOT NULL,
    month         text,
    channel       text,
    grade         text,
    validity      text,
    category      text,
    subcategory   text,
    department    text,
    description   text,
    result        text,
    received_at   timestamptz,
    resolved_at   timestamptz,
    resolutions   integer NOT NULL DEFAULT 0,
    reopenings    integer NOT NULL DEFAULT 0,
    accepted      boolean,
    PRIMARY KEY (group_id, estate_id, complaint_id)
);
CREATE INDEX complaints_by_month ON complaints (group_id, estate_id, month);

CREATE TABLE campaigns (
    group_id       text NOT NULL,
    estate_id      text NOT NULL,
    campaign_id    text NOT NULL,
    month          text,
    title          text,
    kind           text,
    issued_count   integer NOT NULL DEFAULT 0,
    returned_count integer,
    opens_at       timestamptz,
    closed         boolean NOT NULL DEFAULT false,
    PRIMARY KEY (group_id, estate_id, campaign_id)
);

CREATE TABLE questionnaires (
    group_id         text NOT NULL,
    estate_id        text NOT NULL,
    questionnaire_id text NOT NULL,
    campaign_id      text NOT NULL,
    month            text,
    returned_at      timestamptz NOT NULL,
    answers          jsonb NOT NULL,
    PRIMARY KEY (group_id, estate_id, questionnaire_id)
);
CREATE INDEX questionnaires_by_month ON questionnaires (group_id, estate_id, month);

CREATE TABLE samples (
    group_id       text NOT NULL,
    estate_id      text NOT NULL,
    sample_id      text NOT NULL,
    month          text NOT NULL,
    request_kind   text NOT NULL,
    population     integer NOT NULL,
    chosen         integer NOT NULL,
    door_count     integer NOT NULL,
    seed           text NOT NULL,
    algorithm      text NOT NULL,
    PRIMARY KEY (group_id, estate_id, sample_id)
);

CREATE TABLE policies (
    group_id       text NOT NULL,
    estate_id      text NOT NULL,
    policy_id      text NOT NULL,
    policy_version integer NOT NULL,
    preset         text NOT NULL,
    effective_from timestamptz NOT NULL,
    rules          jsonb NOT NULL,
    PRIMARY KEY (group_id, estate_id, policy_id, policy_version)
);

-- Counters per estate and month, recomputed from the facts above for every month an event touches.
CREATE TABLE estate_month_kpis (
    group_id                  text NOT NULL,
    estate_id                 text NOT NULL,
    month                     text NOT NULL,
    callbacks_required        integer NOT NULL,
    callbacks_required_done   integer NOT NULL,
    callbacks_completed       integer NOT NULL,
    callbacks_satisfied       integer NOT NULL,
    callbacks_on_time         integer NOT NULL,
    callbacks_failed          integer NOT NULL,
    callbacks_overdue         integer NOT NULL,
    complaint_callbacks       integer NOT NULL,
    complaint_callbacks_satisfied integer NOT NULL,
    questionnaires_returned   integer NOT NULL,
    overall_satisfied         integer NOT NULL,
    campaign_issued           integer NOT NULL,
    campaign_returned         integer NOT NULL,
    complaints_received       integer NOT NULL,
    complaints_general        integer NOT NULL,
    complaints_important      integer NOT NULL,
    complaints_major          integer NOT NULL,
    complaints_valid          integer NOT NULL,
    complaints_coordination   integer NOT NULL,
    complaints_invalid        integer NOT NULL,
    PRIMARY KEY (group_id, month, estate_id)
);
