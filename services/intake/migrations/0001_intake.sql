-- Intake's own tables. Every row carries group_id and estate_id (tenancy); queries filter on both.

-- The estate registry (issue 5 §2). `facts` holds what EstateRegistered/EstateUpdated carry.
CREATE TABLE IF NOT EXISTS estates (
    group_id    text        NOT NULL,
    estate_id   text        NOT NULL,
    name        text        NOT NULL,
    facts       jsonb       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (group_id, estate_id)
);

CREATE TABLE IF NOT EXISTS buildings (
    group_id text NOT NULL, estate_id text NOT NULL, building_id text NOT NULL, name text NOT NULL,
    PRIMARY KEY (group_id, estate_id, building_id)
);

CREATE TABLE IF NOT EXISTS units (
    group_id text NOT NULL, estate_id text NOT NULL, unit_id text NOT NULL, building_id text, name text,
    PRIMARY KEY (group_id, estate_id, unit_id)
);

CREATE TABLE IF NOT EXISTS departments (
    group_id text NOT NULL, estate_id text NOT NULL, department_id text NOT NULL,
    name_zh text NOT NULL, name_en text,
    PRIMARY KEY (group_id, estate_id, department_id)
);

-- A group's additions to the default complaint categories ('' = the level-1 category itself).
CREATE TABLE IF NOT EXISTS complaint_categories (
    group_id text NOT NULL, category text NOT NULL, subcategory text NOT NULL DEFAULT '',
    PRIMARY KEY (group_id, category, subcategory)
);

-- Current state of every order, complaint, service request and renovation: the query projection and
-- the snapshot commands start from. The full history is the record's stream in `events`.
CREATE TABLE IF NOT EXISTS records (
    group_id        text        NOT NULL,
    estate_id       text        NOT NULL,
    record_type     text        NOT NULL CHECK (record_type IN ('order', 'complaint', 'request', 'renovation')),
    record_id       text        NOT NULL,
    erp_id          text,
    status          text        NOT NULL,
    kind            text,
    channel         text,
    category        text,
    subcategory     text,
    grade           text,
    validity        text,
    requester_phone text,
    opened_at       timestamptz NOT NULL,
    closed_at       timestamptz,
    version         int         NOT NULL,
    state           jsonb       NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (group_id, record_type, record_id)
);

CREATE INDEX IF NOT EXISTS records_by_estate ON records (group_id, estate_id, record_type, opened_at DESC);

-- Idempotency-Key: the first response to a key is kept and replayed; another body with it is a 409.
CREATE TABLE IF NOT EXISTS idempotency_keys (
    group_id     text        NOT NULL,
    subject      text        NOT NULL,
    key          text        NOT NULL,
    request_hash text        NOT NULL,
    status_code  int         NOT NULL,
    response     jsonb       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (group_id, subject, key)
);

-- ERP messages applied through the HTTP batch import, by the id derived from the ERP's own id (the
-- Kafka path is deduplicated by the infra inbox on the same id).
CREATE TABLE IF NOT EXISTS erp_receipts (
    message_id  uuid        PRIMARY KEY,
    erp_system  text        NOT NULL,
    erp_id      text        NOT NULL,
    kind        text        NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);
