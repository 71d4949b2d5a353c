-- The assignment of each callback becomes event-sourced (issue 17): the stream `assignment-<callback_id>`,
-- with `callbacks` and the staff's `open_load` / `assigned_day` / `assigned_today` its projections.

-- Upgrade without loss: a callback row written before its stream existed becomes one
-- `dispatch.AssignmentImported` event carrying its whole row, in the JSON form of `domain/events.py`
-- (the row's columns are the state's fields; tested by tests/dispatch/integration/test_assignment_import.py,
-- which decodes and rebuilds from it). A callback whose stream exists already is left alone, so the file is
-- harmless on a new database.
INSERT INTO events (stream_id, stream_version, event_id, event_type, event_version, group_id, estate_id,
                    data, metadata)
SELECT 'assignment-' || c.callback_id, 1, gen_random_uuid(), 'dispatch.AssignmentImported', 1,
       c.group_id, c.estate_id,
       jsonb_build_object('state', to_jsonb(c) - 'updated_at'),
       jsonb_build_object('actor', 'migration dispatch/0006')
FROM callbacks c
WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.stream_id = 'assignment-' || c.callback_id)
ORDER BY c.updated_at, c.callback_id;
