-- R-OP-3: the duty log (值班记录) is append-only — no page torn out, no alteration — and kept 3 years.
-- The database itself refuses UPDATE, DELETE and TRUNCATE, whoever asks; a mistake is corrected by a
-- new entry that references the old one. Only `purge_duty_log()` (the explicit admin job) may delete,
-- and only entries older than the retention period.

CREATE TABLE duty_log_entries (
    entry_id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    group_id          text NOT NULL,
    estate_id         text NOT NULL,
    service_center    text NOT NULL,
    duty_date         date NOT NULL,
    kind              text NOT NULL CHECK (kind IN ('entry', 'correction', 'sign_off')),
    author_id         text NOT NULL,
    author_role       text NOT NULL,
    body              text NOT NULL,
    corrects_entry_id bigint,
    recorded_at       timestamptz NOT NULL DEFAULT now(),
    CHECK ((kind = 'correction') = (corrects_entry_id IS NOT NULL))
);
CREATE INDEX duty_log_by_day ON duty_log_entries (group_id, estate_id, service_center, duty_date, entry_id);
-- The supervisor signs each duty day once.
CREATE UNIQUE INDEX duty_log_one_sign_off ON duty_log_entries (group_id, estate_id, service_center, duty_date)
    WHERE kind = 'sign_off';

-- The time of writing is the server's, not the writer's: a back-dated entry would defeat the log.
-- Importing the paper logs of earlier years sets `huifang.duty_log_import` for its transaction.
CREATE FUNCTION duty_log_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('huifang.duty_log_import', true), '') <> 'on' THEN
        NEW.recorded_at := now();
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER duty_log_stamp BEFORE INSERT ON duty_log_entries
    FOR EACH ROW EXECUTE FUNCTION duty_log_stamp();

CREATE FUNCTION duty_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND coalesce(current_setting('huifang.duty_log_purge', true), '') = 'on'
       AND OLD.recorded_at < now() - interval '3 years' THEN
        RETURN OLD;  -- the purge job, past the retention period only
    END IF;
    RAISE EXCEPTION 'duty log is append-only (R-OP-3): % refused', TG_OP
        USING ERRCODE = 'integrity_constraint_violation',
              HINT = 'write a correction entry that references the old one';
END $$;

CREATE TRIGGER duty_log_no_update_or_delete BEFORE UPDATE OR DELETE ON duty_log_entries
    FOR EACH ROW EXECUTE FUNCTION duty_log_refuse_change();
CREATE TRIGGER duty_log_no_truncate BEFORE TRUNCATE ON duty_log_entries
    FOR EACH STATEMENT EXECUTE FUNCTION duty_log_refuse_change();

-- The admin purge: deletes entries recorded more than `older_than` ago (never less than 3 years).
CREATE FUNCTION purge_duty_log(older_than interval DEFAULT interval '3 years') RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    purged bigint;
BEGIN
    IF older_than < interval '3 years' THEN
        RAISE EXCEPTION 'duty log retention is at least 3 years (R-OP-3), got %', older_than;
    END IF;
    PERFORM set_config('huifang.duty_log_purge', 'on', true);
    DELETE FROM duty_log_entries WHERE recorded_at < now() - older_than;
    GET DIAGNOSTICS purged = ROW_COUNT;
    PERFORM set_config('huifang.duty_log_purge', 'off', true);
    RETURN purged;
END $$;
REVOKE ALL ON FUNCTION purge_duty_log(interval) FROM PUBLIC;
