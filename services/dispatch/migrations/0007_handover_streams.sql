-- The handover book of each service center becomes event-sourced (issue 17): the stream
-- `handover-<group>:<estate>:<service_center>`, with `handovers`, `handover_items` and `handover_carried`
-- its projections.

-- Upgrade without loss: a service center's rows written before its stream existed become one
-- `dispatch.HandoverBookImported` event carrying all of them (items in their order), in the JSON form of
-- `domain/events.py` (tested by tests/dispatch/integration/test_handover_import.py). A book whose stream
-- exists already is left alone, so the file is harmless on a new database.
WITH books AS (
    SELECT group_id, estate_id, service_center FROM handovers
    UNION
    SELECT group_id, estate_id, service_center FROM handover_items
)
INSERT INTO events (stream_id, stream_version, event_id, event_type, event_version, group_id, estate_id,
                    data, metadata)
SELECT 'handover-' || b.group_id || ':' || b.estate_id || ':' || b.service_center, 1, gen_random_uuid(),
       'dispatch.HandoverBookImported', 1, b.group_id, b.estate_id,
       jsonb_build_object(
           'book', jsonb_build_object('group_id', b.group_id, 'estate_id', b.estate_id,
                                      'service_center', b.service_center),
           'handovers', coalesce((
               SELECT jsonb_agg(to_jsonb(h) ORDER BY h.outgoing_signed_at, h.handover_id) FROM handovers h
               WHERE (h.group_id, h.estate_id, h.service_center) = (b.group_id, b.estate_id, b.service_center)),
               '[]'::jsonb),
           'items', coalesce((
               SELECT jsonb_agg(to_jsonb(i) - 'seq' ORDER BY i.seq) FROM handover_items i
               WHERE (i.group_id, i.estate_id, i.service_center) = (b.group_id, b.estate_id, b.service_center)),
               '[]'::jsonb),
           'carried', coalesce((
               SELECT jsonb_agg(to_jsonb(c) ORDER BY h.outgoing_signed_at, c.handover_id, c.item_id)
               FROM handover_carried c JOIN handovers h USING (handover_id)
               WHERE (h.group_id, h.estate_id, h.service_center) = (b.group_id, b.estate_id, b.service_center)),
               '[]'::jsonb)),
       jsonb_build_object('actor', 'migration dispatch/0007')
FROM books b
WHERE NOT EXISTS (
    SELECT 1 FROM events e
    WHERE e.stream_id = 'handover-' || b.group_id || ':' || b.estate_id || ':' || b.service_center)
ORDER BY b.group_id, b.estate_id, b.service_center;
