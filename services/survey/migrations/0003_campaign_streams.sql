-- The questionnaire campaign becomes event-sourced (issue 17): each campaign is the stream
-- `campaign-<campaign_id>`; campaigns and questionnaires are its projection.
--
-- Upgrade without loss: a campaign opened before its stream existed becomes one `survey.CampaignImported`
-- event carrying its row and its questionnaires, in the JSON form of `domain/events.py` (tested by
-- tests/survey/integration/test_campaign_import.py). When a campaign was opened and when a questionnaire
-- was entered were not stored: the campaign's `opens_at` and the questionnaire's `returned_at` stand in.
-- Campaigns whose stream exists already are left alone, so the file is harmless on a new database.
WITH pending AS (
    SELECT c.* FROM campaigns c
    WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.stream_id = 'campaign-' || c.campaign_id)
), returned AS (
    SELECT q.campaign_id,
           jsonb_agg(jsonb_build_object(
               'questionnaire_id', q.questionnaire_id, 'channel', q.channel, 'answers', q.answers,
               'returned_at', q.returned_at, 'at', q.returned_at, 'unit_id', q.unit_id, 'comments', q.comments)
               ORDER BY q.returned_at, q.questionnaire_id) AS list
    FROM questionnaires q JOIN pending p USING (campaign_id) GROUP BY q.campaign_id
)
INSERT INTO events (stream_id, stream_version, event_id, event_type, event_version, group_id, estate_id,
                    data, metadata)
SELECT 'campaign-' || p.campaign_id, 1, gen_random_uuid(), 'survey.CampaignImported', 1, p.group_id, p.estate_id,
       jsonb_build_object(
           'campaign', jsonb_build_object(
               'opened', jsonb_build_object(
                   'campaign_id', p.campaign_id, 'title', p.title, 'kind', p.kind,
                   'channels', to_jsonb(p.channels), 'dimensions', to_jsonb(p.dimensions),
                   'opens_at', p.opens_at, 'closes_at', p.closes_at, 'issued_count', p.issued_count,
                   'opened_event_id', p.opened_event_id, 'at', p.opens_at),
               'issued_count', p.issued_count, 'returned_count', p.returned_count, 'status', p.status),
           'questionnaires', coalesce(r.list, '[]'::jsonb)),
       jsonb_build_object('actor', 'migration survey/0003')
FROM pending p LEFT JOIN returned r USING (campaign_id)
ORDER BY p.opens_at, p.campaign_id;
