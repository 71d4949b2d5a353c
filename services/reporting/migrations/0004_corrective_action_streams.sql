-- Corrective actions become event-sourced (issue 17): each notice is the stream
-- `corrective-action-<action_id>` and `corrective_actions` its projection.

-- The estate's acknowledgement of a notice (a projection of `reporting.ActionAcknowledged`); kept out of
-- `corrective_actions` so that table's rows, and the API answers built from them, stay as they were.
CREATE TABLE corrective_action_acknowledgements (
    action_id       text PRIMARY KEY REFERENCES corrective_actions (action_id),
    acknowledged_by text NOT NULL,
    acknowledged_at timestamptz NOT NULL,
    note            text
);

-- Upgrade without loss: a notice written before its stream existed becomes one `reporting.ActionImported`
-- event carrying its whole row, in the JSON form of `domain/events.py` (tested by
-- tests/reporting/integration/test_action_import.py, which decodes and rebuilds from it). A notice whose
-- stream exists already is left alone, so the file is harmless on a new database.
INSERT INTO events (stream_id, stream_version, event_id, event_type, event_version, group_id, estate_id,
                    data, metadata)
SELECT 'corrective-action-' || a.action_id, 1, gen_random_uuid(), 'reporting.ActionImported', 1,
       a.group_id, a.estate_id,
       jsonb_build_object('action', jsonb_build_object(
           'notice', jsonb_build_object(
               'action_id', a.action_id, 'group_id', a.group_id, 'estate_id', a.estate_id,
               'period', a.period, 'metric', a.metric, 'dimension', NULLIF(a.dimension, ''),
               'target_percent', a.target_percent::float8, 'actual_percent', a.actual_percent::float8,
               'numerator', a.numerator, 'denominator', a.denominator,
               'deadline', a.deadline, 'issued_at', a.issued_at, 'issued_by', NULL),
           'acknowledgement', NULL,
           'verification', CASE WHEN a.verified_at IS NULL THEN NULL ELSE jsonb_build_object(
               'by', a.verified_by, 'at', a.verified_at, 'effective', a.effective,
               'actual_percent', a.verified_percent::float8, 'note', a.note) END)),
       jsonb_build_object('actor', 'migration reporting/0004')
FROM corrective_actions a
WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.stream_id = 'corrective-action-' || a.action_id)
ORDER BY a.issued_at, a.action_id;
