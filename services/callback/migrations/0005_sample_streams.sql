-- Upgrade without loss (issue 17 §8): samples drawn before they were streams get their `sample.Drawn`
-- event from the row, so a repeated draw is refused by the stream and `rebuild state` gives the row back.
INSERT INTO events (stream_id, stream_version, event_id, event_type, event_version, group_id, estate_id, data,
                    metadata)
SELECT 'sample-' || s.sample_id, 1, gen_random_uuid(), 'sample.Drawn', 1, s.group_id, s.estate_id,
       jsonb_build_object('sample', jsonb_build_object(
           'sample_id', s.sample_id, 'group_id', s.group_id, 'estate_id', s.estate_id, 'month', s.month,
           'rule_id', s.rule_id, 'request_kind', s.request_kind, 'policy_id', s.policy_id,
           'policy_version', s.policy_version, 'seed', s.seed, 'algorithm', s.algorithm,
           'population', s.population, 'chosen', s.chosen, 'door_count', s.door_count, 'excluded', s.excluded,
           'drawn_at', s.drawn_at, 'requested_by', s.requested_by)),
       jsonb_build_object('imported', true)
FROM samples s
WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.stream_id = 'sample-' || s.sample_id)
ORDER BY s.drawn_at, s.sample_id;
