-- The callback record becomes event-sourced (issue 17): each callback's contacts, record and raised
-- complaints are the stream `callback-record-<callback_id>`; callback_attempts, callback_records,
-- raised_issues and the status / attempts_used columns of callbacks are its projection.
--
-- Upgrade without loss: a callback recorded before its stream existed becomes one `survey.RecordImported`
-- event carrying all its rows, in the JSON form of `domain/events.py` (tested by
-- tests/survey/integration/test_record_import.py, which decodes and rebuilds from it). A failure's reason
-- was not stored: it follows from the last result as `domain/callback.py` decides it (R-CB-11). A raised
-- issue's contact time was not stored either: its recording time stands in. Callbacks whose stream exists
-- already are left alone, so the file is harmless on a new database.
WITH recorded AS (
    SELECT c.* FROM callbacks c
    WHERE (c.attempts_used > 0 OR c.status <> 'open')
      AND NOT EXISTS (SELECT 1 FROM events e WHERE e.stream_id = 'callback-record-' || c.callback_id)
), attempts AS (
    SELECT a.callback_id,
           jsonb_agg(jsonb_build_object(
               'callback_id', a.callback_id, 'attempt_no', a.attempt_no, 'caller_id', a.caller_id,
               'result', a.result, 'method', a.method, 'contacted_at', a.contacted_at,
               'recorded_at', a.recorded_at, 'record_late', a.record_late, 'answered_by', a.answered_by,
               'relation', a.relation, 'duration_seconds', a.duration_seconds, 'note', a.note,
               'next_attempt_after', a.next_attempt_after) ORDER BY a.attempt_no) AS list,
           (array_agg(a.result ORDER BY a.attempt_no DESC))[1] AS last_result,
           (array_agg(a.contacted_at ORDER BY a.attempt_no DESC))[1] AS last_contacted_at,
           (array_agg(a.recorded_at ORDER BY a.attempt_no DESC))[1] AS last_recorded_at
    FROM callback_attempts a JOIN recorded USING (callback_id) GROUP BY a.callback_id
), issues AS (
    SELECT i.callback_id,
           jsonb_agg(jsonb_build_object(
               'issue_id', i.issue_id, 'callback_id', i.callback_id, 'description', i.description,
               'recorded_by', i.recorded_by, 'raised_at', i.recorded_at, 'recorded_at', i.recorded_at,
               'category', i.category, 'subcategory', i.subcategory, 'unit_id', r.unit_id,
               'requester_name', r.requester_name, 'requester_phone', r.requester_phone) ORDER BY i.issue_id) AS list
    FROM raised_issues i JOIN recorded r USING (callback_id) GROUP BY i.callback_id
)
INSERT INTO events (stream_id, stream_version, event_id, event_type, event_version, group_id, estate_id,
                    data, metadata)
SELECT 'callback-record-' || r.callback_id, 1, gen_random_uuid(), 'survey.RecordImported', 1,
       r.group_id, r.estate_id,
       jsonb_build_object('callback_id', r.callback_id, 'record', jsonb_build_object(
           'status', r.status,
           'attempts_used', r.attempts_used,
           'attempts', coalesce(a.list, '[]'::jsonb),
           'completion', CASE WHEN d.callback_id IS NULL THEN NULL ELSE jsonb_build_object(
               'callback_id', d.callback_id, 'caller_id', d.caller_id, 'method', d.method,
               'completed_at', d.completed_at, 'recorded_at', d.recorded_at, 'ratings', d.ratings,
               'satisfied_or_fair', d.satisfied_or_fair, 'late', d.late, 'record_late', d.record_late,
               'attempts_used', d.attempts_used, 'answered_by', d.answered_by, 'relation', d.relation,
               'duration_seconds', d.duration_seconds, 'comments', d.comments, 'suggestions', d.suggestions) END,
           'failure', CASE WHEN r.status <> 'failed' OR a.callback_id IS NULL THEN NULL ELSE jsonb_build_object(
               'callback_id', r.callback_id,
               'reason', CASE a.last_result WHEN 'refused' THEN 'refused' WHEN 'wrong_number' THEN 'wrong_number'
                                            ELSE 'attempts_exhausted' END,
               'attempts_used', r.attempts_used, 'last_result', a.last_result,
               'failed_at', a.last_contacted_at, 'recorded_at', a.last_recorded_at) END,
           'issues', coalesce(i.list, '[]'::jsonb))),
       jsonb_build_object('actor', 'migration survey/0002')
FROM recorded r
LEFT JOIN attempts a USING (callback_id)
LEFT JOIN issues i USING (callback_id)
LEFT JOIN callback_records d USING (callback_id)
ORDER BY r.callback_id;
