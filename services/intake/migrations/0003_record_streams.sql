-- Upgrade without loss (issue 17 §8): the changes recorded before this version did not carry the fields
-- they set, so the records table could not be rebuilt from them. Each record's stream gets one
-- `<type>.imported` change carrying the row's whole state; from it on, every change carries its fields
-- and `rebuild state` gives the table back. The row's version and time follow the new event.
INSERT INTO events (stream_id, stream_version, event_id, event_type, event_version, group_id, estate_id, data,
                    metadata)
SELECT 'intake-' || r.record_type || '-' || r.group_id || '-' || r.record_id, r.version + 1, gen_random_uuid(),
       r.record_type || '.imported', 1, r.group_id, r.estate_id,
       jsonb_build_object('name', 'imported', 'at', now(), 'data', '{}'::jsonb, 'fields', r.state),
       jsonb_build_object('imported', true)
FROM records r
ORDER BY r.opened_at, r.record_id;

UPDATE records SET version = version + 1, updated_at = now();
