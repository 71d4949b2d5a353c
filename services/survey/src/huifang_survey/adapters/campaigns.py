"""Campaign rows ↔ the domain `Campaign`: the campaign streams' projection and its queries."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from huifang_contracts.enums import CallbackMethod, CampaignKind, SurveyDimension
from huifang_infra.db import Connection

from huifang_survey.domain.campaign import Campaign
from huifang_survey.domain.events import CampaignEvent, CampaignImported, QuestionnaireAccepted, SurveyCampaign

#: What a state rebuild empties and refills from the campaign streams (children first).
CAMPAIGN_TABLES = ("questionnaires", "campaigns")


async def load(conn: Connection, campaign_id: str, *, lock: bool = True) -> tuple[Campaign, Any] | None:
    row = await conn.fetchrow(
        "SELECT * FROM campaigns WHERE campaign_id = $1" + (" FOR UPDATE" if lock else ""), campaign_id
    )
    if row is None:
        return None
    campaign = Campaign(
        campaign_id=row["campaign_id"],
        title=row["title"],
        kind=CampaignKind(row["kind"]),
        channels=tuple(CallbackMethod(c) for c in row["channels"]),
        dimensions=tuple(SurveyDimension(d) for d in row["dimensions"]),
        opens_at=row["opens_at"],
        closes_at=row["closes_at"],
        issued_count=row["issued_count"],
        returned_count=row["returned_count"],
        status=row["status"],
    )
    return campaign, row


_UPSERT_CAMPAIGN = """
INSERT INTO campaigns (campaign_id, group_id, estate_id, title, kind, channels, dimensions, opens_at, closes_at,
                       issued_count, returned_count, status, opened_event_id)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
ON CONFLICT (campaign_id) DO UPDATE SET issued_count = EXCLUDED.issued_count,
    returned_count = EXCLUDED.returned_count, status = EXCLUDED.status"""
_QUESTIONNAIRE = """
INSERT INTO questionnaires (questionnaire_id, campaign_id, group_id, estate_id, unit_id, channel, answers, comments,
                            returned_at)
VALUES ($1, $2, $3, $4, $5, $6, $7::text::jsonb, $8, $9)"""


def _campaign_row(state: SurveyCampaign, group_id: str, estate_id: str) -> tuple[Any, ...]:
    o = state.opened
    assert o is not None
    return (
        o.campaign_id, group_id, estate_id, o.title, o.kind.value, [m.value for m in o.channels],
        [d.value for d in o.dimensions], o.opens_at, o.closes_at, state.issued_count, state.returned_count,
        state.status, o.opened_event_id,
    )  # fmt: skip


def _questionnaire(q: QuestionnaireAccepted, campaign_id: str, group_id: str, estate_id: str) -> tuple[Any, ...]:
    answers = json.dumps([a.model_dump(mode="json") for a in q.answers], ensure_ascii=False)
    return (
        q.questionnaire_id, campaign_id, group_id, estate_id, q.unit_id, q.channel.value, answers, q.comments,
        q.returned_at,
    )  # fmt: skip


async def write_campaigns(
    conn: Connection, changes: Sequence[tuple[str, str, Sequence[CampaignEvent], SurveyCampaign]]
) -> None:
    """The projection of the campaign streams. Each change: (group, estate, its new events, the state after).

    JSON goes in as text, so the code works on any connection, with or without the pool's JSON codecs.
    """
    latest: dict[str, tuple[Any, ...]] = {}
    questionnaires = []
    for group_id, estate_id, events, state in changes:
        if state.opened is None:
            continue
        campaign_id = state.opened.campaign_id
        latest[campaign_id] = _campaign_row(state, group_id, estate_id)
        for e in events:
            accepted = e.questionnaires if isinstance(e, CampaignImported) else (e,)
            questionnaires += [
                _questionnaire(q, campaign_id, group_id, estate_id)
                for q in accepted
                if isinstance(q, QuestionnaireAccepted)
            ]
    if latest:
        await conn.executemany(_UPSERT_CAMPAIGN, list(latest.values()))
    if questionnaires:
        await conn.executemany(_QUESTIONNAIRE, questionnaires)


async def item_counts(conn: Connection, campaign_id: str) -> dict[str, dict[str, int]]:
    """Per dimension, how many answered each rating: the numerators of R-SV-4."""
    rows = await conn.fetch(
        """SELECT a->>'dimension' AS dimension, a->>'rating' AS rating, count(*) AS n
           FROM questionnaires q, jsonb_array_elements(q.answers) a
           WHERE q.campaign_id = $1 GROUP BY 1, 2""",
        campaign_id,
    )
    counts: dict[str, dict[str, int]] = {}
    for r in rows:
        counts.setdefault(r["dimension"], {})[r["rating"]] = int(r["n"])
    return counts
