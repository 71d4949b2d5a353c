-- The duty log of each service center's duty day becomes event-sourced (issue 17): the stream
-- `duty-log-<group>:<estate>:<service_center>:<duty_date>`, with `duty_log_entries` its projection. The
-- table keeps refusing UPDATE, DELETE and TRUNCATE (0003); the store's events are append-only as well.

-- A rebuild empties the projection before refilling it from the store, which holds every entry. Only
-- `empty_duty_log_for_rebuild()` may do so (SECURITY DEFINER, execute revoked from PUBLIC): it marks its
-- own transaction in a table nobody else can write, and the refusing trigger lets that transaction through.
CREATE TABLE duty_log_rebuilds (
    txid       bigint PRIMARY KEY,
    started_at timestamptz NOT NULL DEFAULT now()
);
REVOKE ALL ON duty_log_rebuilds FROM PUBLIC;

CREATE OR REPLACE FUNCTION duty_log_refuse_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM duty_log_rebuilds WHERE txid = txid_current()) THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NULL END;  -- the rebuild's reset, refilled from the store
    END IF;
    IF TG_OP = 'DELETE'
       AND coalesce(current_setting('huifang.duty_log_purge', true), '') = 'on'
       AND OLD.recorded_at < now() - interval '3 years' THEN
        RETURN OLD;  -- the purge job, past the retention period only
    END IF;
    RAISE EXCEPTION 'duty log is append-only (R-OP-3): % refused', TG_OP
        USING ERRCODE = 'integrity_constraint_violation',
              HINT = 'write a correction entry that references the old one';
END $$;

CREATE FUNCTION empty_duty_log_for_rebuild() RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    emptied bigint;
BEGIN
    INSERT INTO duty_log_rebuilds (txid) VALUES (txid_current()) ON CONFLICT DO NOTHING;
    DELETE FROM duty_log_entries;
    GET DIAGNOSTICS emptied = ROW_COUNT;
    DELETE FROM duty_log_rebuilds WHERE txid = txid_current();
    RETURN emptied;
END $$;
REVOKE ALL ON FUNCTION empty_duty_log_for_rebuild() FROM PUBLIC;

-- Upgrade without loss: the entries of a duty day written before its stream existed become one
-- `dispatch.DutyDayImported` event carrying them with their ids and times of writing, in the JSON form of
-- `domain/events.py` (tested by tests/dispatch/integration/test_duty_log_streams.py). A day whose stream
-- exists already is left alone, so the file is harmless on a new database.
INSERT INTO events (stream_id, stream_version, event_id, event_type, event_version, group_id, estate_id,
                    data, metadata)
SELECT 'duty-log-' || d.group_id || ':' || d.estate_id || ':' || d.service_center || ':' || d.duty_date::text,
       1, gen_random_uuid(), 'dispatch.DutyDayImported', 1, d.group_id, d.estate_id,
       jsonb_build_object(
           'day', jsonb_build_object('group_id', d.group_id, 'estate_id', d.estate_id,
                                     'service_center', d.service_center, 'duty_date', d.duty_date),
           'entries', d.entries),
       jsonb_build_object('actor', 'migration dispatch/0008')
FROM (
    SELECT group_id, estate_id, service_center, duty_date,
           jsonb_agg(jsonb_build_object('entry_id', entry_id, 'kind', kind, 'author_id', author_id,
                                        'author_role', author_role, 'body', body,
                                        'corrects_entry_id', corrects_entry_id, 'recorded_at', recorded_at)
                     ORDER BY entry_id) AS entries
    FROM duty_log_entries
    GROUP BY group_id, estate_id, service_center, duty_date
) d
WHERE NOT EXISTS (
    SELECT 1 FROM events e
    WHERE e.stream_id = 'duty-log-' || d.group_id || ':' || d.estate_id || ':' || d.service_center || ':'
                        || d.duty_date::text)
ORDER BY d.duty_date, d.group_id, d.estate_id, d.service_center;
