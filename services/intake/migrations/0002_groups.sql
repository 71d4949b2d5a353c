-- The property groups (物业集团) of the registry: a name for screens and reports; the id is the tenancy key.
CREATE TABLE IF NOT EXISTS groups (
    group_id   text        PRIMARY KEY,
    name_zh    text        NOT NULL,
    name_en    text,
    updated_at timestamptz NOT NULL DEFAULT now()
);
