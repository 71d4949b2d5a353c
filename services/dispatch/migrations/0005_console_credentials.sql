-- The staff console's sign-in: one password per staff member (argon2 hash, never the password),
-- the failure window that locks an account, and the instant before which its tokens are refused
-- by the console (sign-out, password change). Rows carry group_id and estate_id like every table.

CREATE TABLE staff_credentials (
    staff_id            text PRIMARY KEY,
    group_id            text NOT NULL,
    estate_id           text NOT NULL,
    password_hash       text NOT NULL,
    password_set_at     timestamptz NOT NULL,
    -- Set by an administrator: the person must choose their own password at first sign-in.
    must_change         boolean NOT NULL DEFAULT true,
    -- Failures counted inside a window that starts at the first failure (lockout policy).
    failed_count        int NOT NULL DEFAULT 0 CHECK (failed_count >= 0),
    failure_window_from timestamptz,
    locked_until        timestamptz,
    -- Tokens issued before this instant are refused by the console's own endpoints.
    tokens_valid_after  timestamptz,
    last_sign_in_at     timestamptz,
    updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX staff_credentials_by_estate ON staff_credentials (group_id, estate_id);

-- Every sign-in try, kept for audit (who tried which account, when, from where, and the outcome).
CREATE TABLE sign_in_attempts (
    attempt_id   bigserial PRIMARY KEY,
    staff_id     text NOT NULL,
    group_id     text,
    estate_id    text,
    attempted_at timestamptz NOT NULL,
    outcome      text NOT NULL CHECK (outcome IN ('ok', 'bad_password', 'locked', 'unknown', 'inactive')),
    client       text
);
CREATE INDEX sign_in_attempts_by_staff ON sign_in_attempts (staff_id, attempted_at);
