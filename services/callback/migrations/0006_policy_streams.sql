-- Upgrade without loss (issue 17 §8): policy versions written before they were streams get their
-- `policy.VersionAdopted` events, one per version at that version's place in the stream, so the next
-- change appends after them and `rebuild state` gives every version back. Which estates a version
-- governed was not kept: `governs` is empty on these.
INSERT INTO events (stream_id, stream_version, event_id, event_type, event_version, group_id, estate_id, data,
                    metadata, recorded_at)
SELECT 'policy-' || p.policy_id, p.version, gen_random_uuid(), 'policy.VersionAdopted', 1, p.group_id, p.estate_id,
       jsonb_build_object('policy_id', p.policy_id, 'version', p.version, 'group_id', p.group_id,
                          'estate_id', p.estate_id, 'name', p.name, 'body', p.body, 'changed_by', p.changed_by,
                          'changed_at', p.changed_at, 'governs', '[]'::jsonb),
       jsonb_build_object('imported', true), p.changed_at
FROM policies p
WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.stream_id = 'policy-' || p.policy_id)
ORDER BY p.policy_id, p.version;
