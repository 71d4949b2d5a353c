"""Campaign rows ↔ the domain `Campaign`, and the questionnaire and ballot tables."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from huifang_contracts.enums import CallbackMethod, CampaignKind, SurveyDimension
from huifang_contracts.survey import Answer
from huifang_infra.db import Connection

from huifang_survey.domain.campaign import Campaign


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


async def insert(conn: Connection, c: Campaign, group_id: str, estate_id: str, opened_event_id: Any) -> None:
    await conn.execute(
        """INSERT INTO campaigns (campaign_id, group_id, estate_id, title, kind, channels, dimensions, opens_at,
               closes_at, issued_count, returned_count, status, opened_event_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)""",
        c.campaign_id, group_id, estate_id, c.title, c.kind.value, [m.value for m in c.channels],
        [d.value for d in c.dimensions], c.opens_at, c.closes_at, c.issued_count, c.returned_count, c.status,
        opened_event_id,
    )  # fmt: skip


async def save_counts(conn: Connection, c: Campaign) -> None:
    await conn.execute(
        "UPDATE campaigns SET issued_count = $2, returned_count = $3, status = $4 WHERE campaign_id = $1",
        c.campaign_id,
        c.issued_count,
        c.returned_count,
        c.status,
    )


async def insert_questionnaire(
    conn: Connection, row: Any, questionnaire_id: str, unit_id: str | None, channel: CallbackMethod,
    answers: list[Answer], comments: str | None, returned_at: datetime,
) -> None:  # fmt: skip
    await conn.execute(
        """INSERT INTO questionnaires (questionnaire_id, campaign_id, group_id, estate_id, unit_id, channel, answers,
               comments, returned_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)""",
        questionnaire_id, row["campaign_id"], row["group_id"], row["estate_id"], unit_id, channel.value,
        [a.model_dump(mode="json") for a in answers], comments, returned_at,
    )  # fmt: skip


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
