-- The ballot (one household's link) becomes event-sourced (issue 17): each ballot is the stream
-- `ballot-<token_digest>`; the ballots table is its projection, so a state rebuild can empty and refill
-- `ballots` and `campaigns` together.
--
-- Upgrade without loss: a ballot issued before its stream existed becomes one `survey.BallotImported`
-- event carrying its state, in the JSON form of `domain/events.py` (tested by
-- tests/survey/integration/test_ballot_import.py). A link cut short by its campaign's close kept only the
-- shortened expiry, which stands for both. Ballots whose stream exists already are left alone, so the file
-- is harmless on a new database.
INSERT INTO events (stream_id, stream_version, event_id, event_type, event_version, group_id, estate_id,
                    data, metadata)
SELECT 'ballot-' || b.token_digest, 1, gen_random_uuid(), 'survey.BallotImported', 1, b.group_id, b.estate_id,
       jsonb_build_object('ballot', jsonb_build_object(
           'issued', jsonb_build_object(
               'token_digest', b.token_digest, 'kind', b.kind, 'issued_at', b.issued_at,
               'expires_at', b.expires_at, 'campaign_id', b.campaign_id, 'callback_id', b.callback_id,
               'unit_id', b.unit_id),
           'expires_at', b.expires_at, 'used_at', b.used_at)),
       jsonb_build_object('actor', 'migration survey/0004')
FROM ballots b
WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.stream_id = 'ballot-' || b.token_digest)
ORDER BY b.issued_at, b.token_digest;
