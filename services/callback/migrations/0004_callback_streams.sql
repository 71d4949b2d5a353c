-- Upgrade without loss (issue 17 §8): a deployment whose callbacks were rows before they were streams
-- gets one `callback.Imported` event per such callback, carrying the row's state, so the stream is the
-- truth from now on and `rebuild state` gives the same table back. The JSON is the shape the service's
-- `Imported` event decodes; what the old table never kept (the retry spacing, the complaint's grade, the
-- requester's contact) is left at its default and named in `notes`.
-- R-SV-3: a row from before the scale was recorded was rated on the four levels of the callback form.
UPDATE callbacks SET rating_scale = 'four_level' WHERE rating_scale IS NULL;

INSERT INTO events (stream_id, stream_version, event_id, event_type, event_version, group_id, estate_id, data,
                    metadata)
SELECT 'callback-' || c.callback_id, 1, gen_random_uuid(), 'callback.Imported', 1, c.group_id, c.estate_id,
       jsonb_build_object(
           'callback', jsonb_build_object(
               'callback_id', c.callback_id, 'group_id', c.group_id, 'estate_id', c.estate_id,
               'source_type', c.source_type, 'source_id', c.source_id, 'kind', c.kind, 'round', c.round,
               'rule_id', c.rule_id, 'policy_id', c.policy_id, 'policy_version', c.policy_version,
               'window_start', c.window_start, 'due_at', c.due_at, 'deadline', c.deadline, 'method', c.method,
               'caller_role', c.caller_role, 'max_attempts', c.max_attempts, 'retry_spacing_minutes', 120,
               'reopen_cap', c.reopen_cap, 'mandatory', c.mandatory,
               'rating_scale', coalesce(c.rating_scale, 'four_level'), 'escalation', c.escalation,
               'sampled', c.sampled, 'sample_id', c.sample_id, 'unit_id', c.unit_id, 'department', c.department,
               'erp_id', c.erp_id, 'worker_id', c.worker_id, 'correlation_id', c.correlation_id,
               'cause_event_id', c.cause_event_id),
           'state', c.state, 'created_at', c.created_at, 'attempts_used', c.attempts_used,
           'satisfied', c.satisfied, 'due_emitted_at', c.due_emitted_at, 'overdue_at', c.overdue_at,
           'closed_at', c.closed_at,
           'notes', jsonb_build_object('imported_from', 'callbacks table',
                                       'not_kept', 'retry_spacing_minutes, grade, category, requester')),
       jsonb_build_object('imported', true)
FROM callbacks c
WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.stream_id = 'callback-' || c.callback_id)
ORDER BY c.created_at, c.callback_id;
