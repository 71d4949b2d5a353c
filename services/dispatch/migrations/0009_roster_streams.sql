-- The roster of each service center's month becomes event-sourced (issue 17): the stream
-- `roster-<roster_id>`, with `rosters`, `roster_shifts` and `roster_changes` its projections.

-- Upgrade without loss: a roster written before its stream existed becomes one `dispatch.RosterImported`
-- event carrying its row, shifts and changes, in the JSON form of `domain/events.py` (tested by
-- tests/dispatch/integration/test_roster_streams.py). A roster whose stream exists already is left alone,
-- so the file is harmless on a new database.
INSERT INTO events (stream_id, stream_version, event_id, event_type, event_version, group_id, estate_id,
                    data, metadata)
SELECT 'roster-' || r.roster_id, 1, gen_random_uuid(), 'dispatch.RosterImported', 1, r.group_id, r.estate_id,
       jsonb_build_object(
           'roster', to_jsonb(r),
           'shifts', coalesce((
               SELECT jsonb_agg(jsonb_build_object('duty_date', s.duty_date, 'staff_id', s.staff_id)
                                ORDER BY s.duty_date, s.staff_id)
               FROM roster_shifts s WHERE s.roster_id = r.roster_id), '[]'::jsonb),
           'changes', coalesce((
               SELECT jsonb_agg(to_jsonb(c) ORDER BY c.requested_at, c.change_id)
               FROM roster_changes c WHERE c.roster_id = r.roster_id), '[]'::jsonb)),
       jsonb_build_object('actor', 'migration dispatch/0009')
FROM rosters r
WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.stream_id = 'roster-' || r.roster_id)
ORDER BY r.month, r.roster_id;
