-- Targets and month closes become event-sourced (issue 17): a KPI target of a group or estate is the
-- stream `target-<group>/<estate>/<metric>[/<dimension>]`, the close of an estate-month the stream
-- `closed-month-<group>/<estate>/<month>`; `targets` and `closed_months` are their projections, so a
-- state rebuild empties and refills them with the corrective actions.
--
-- Upgrade without loss: each row written before its stream existed becomes one `reporting.TargetImported`
-- or `reporting.ClosedMonthImported` event carrying it, in the JSON form of `domain/events.py` (tested by
-- tests/reporting/integration/test_target_and_month_streams.py). Rows whose stream exists already are
-- left alone, so the file is harmless on a new database.
INSERT INTO events (stream_id, stream_version, event_id, event_type, event_version, group_id, estate_id,
                    data, metadata)
SELECT 'target-' || t.group_id || '/' || t.estate_id || '/' || t.metric
           || CASE WHEN t.dimension = '' THEN '' ELSE '/' || t.dimension END,
       1, gen_random_uuid(), 'reporting.TargetImported', 1, t.group_id, NULLIF(t.estate_id, '*'),
       jsonb_build_object('target', jsonb_build_object('current', jsonb_build_object(
           'group_id', t.group_id, 'estate_id', t.estate_id, 'metric', t.metric,
           'target_percent', t.target_percent::float8, 'set_by', t.set_by, 'set_at', t.set_at,
           'dimension', NULLIF(t.dimension, '')))),
       jsonb_build_object('actor', 'migration reporting/0005')
FROM targets t
WHERE NOT EXISTS (
    SELECT 1 FROM events e
    WHERE e.stream_id = 'target-' || t.group_id || '/' || t.estate_id || '/' || t.metric
                        || CASE WHEN t.dimension = '' THEN '' ELSE '/' || t.dimension END)
ORDER BY t.set_at, t.group_id, t.estate_id, t.metric, t.dimension;

INSERT INTO events (stream_id, stream_version, event_id, event_type, event_version, group_id, estate_id,
                    data, metadata)
SELECT 'closed-month-' || c.group_id || '/' || c.estate_id || '/' || c.month, 1, gen_random_uuid(),
       'reporting.ClosedMonthImported', 1, c.group_id, c.estate_id,
       jsonb_build_object('closing', jsonb_build_object('closed', jsonb_build_object(
           'group_id', c.group_id, 'estate_id', c.estate_id, 'month', c.month, 'closed_at', c.closed_at,
           'closed_by', c.closed_by))),
       jsonb_build_object('actor', 'migration reporting/0005')
FROM closed_months c
WHERE NOT EXISTS (
    SELECT 1 FROM events e WHERE e.stream_id = 'closed-month-' || c.group_id || '/' || c.estate_id || '/' || c.month)
ORDER BY c.closed_at, c.group_id, c.estate_id, c.month;
