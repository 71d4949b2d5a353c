"""Writing the facts of estates, staff, closed requests, complaints, campaigns, samples and policies.

Months and the roll-up's recount follow by themselves (migration 0003); what decides a month from
another row (an estate's zone, a questionnaire's campaign) is handled here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from huifang_contracts.enums import is_satisfied_or_fair
from huifang_contracts.envelope import Envelope
from huifang_infra.db import Connection

from huifang_reporting.adapters.months import remonth_estates, remonth_questionnaires
from huifang_reporting.domain.months import DEFAULT_ZONE

Batch = Sequence[tuple[Any, Envelope]]


async def estates(conn: Connection, batch: Batch) -> None:
    """Registered and updated carry the full set; a zone change moves the estate's facts' months."""
    pairs = sorted({(env.group_id, env.estate_id) for _, env in batch})
    # an estate not known yet counts in the default zone (fact_month); only a new zone moves facts
    before = await conn.fetch(
        """SELECT k.g, k.e, COALESCE(s.timezone, $3) AS timezone
           FROM unnest($1::text[], $2::text[]) AS k(g, e)
           LEFT JOIN estates s ON s.group_id = k.g AND s.estate_id = k.e""",
        [g for g, _ in pairs],
        [e for _, e in pairs],
        DEFAULT_ZONE,
    )
    await conn.executemany(
        """INSERT INTO estates (group_id, estate_id, name, estate_type, zone, region, timezone, household_count)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (group_id, estate_id) DO UPDATE SET name = EXCLUDED.name, estate_type = EXCLUDED.estate_type,
             zone = EXCLUDED.zone, region = EXCLUDED.region, timezone = EXCLUDED.timezone,
             household_count = EXCLUDED.household_count""",
        [
            (
                env.group_id,
                env.estate_id,
                ev.name,
                ev.estate_type.value,
                ev.zone,
                ev.region,
                ev.timezone,
                ev.household_count,
            )
            for ev, env in batch
        ],
    )
    zones = {(env.group_id, env.estate_id): ev.timezone for ev, env in batch}  # the last one wins
    await remonth_estates(conn, [(r["g"], r["e"]) for r in before if zones[(r["g"], r["e"])] != r["timezone"]])


async def staff(conn: Connection, batch: Batch) -> None:
    await conn.executemany(
        """INSERT INTO staff (group_id, estate_id, staff_id, name, role, department) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (group_id, estate_id, staff_id) DO UPDATE SET name = EXCLUDED.name, role = EXCLUDED.role,
             department = EXCLUDED.department""",
        [(env.group_id, env.estate_id, ev.staff_id, ev.name, ev.role.value, ev.department) for ev, env in batch],
    )
    # names for drill-down only; no count changes


def _source_row(ev: Any, env: Envelope) -> tuple[Any, ...]:
    source_id = getattr(ev, "order_id", None) or getattr(ev, "renovation_id", None) or ev.request_id
    kind = ev.request_kind.value if hasattr(ev, "request_kind") else "renovation"
    closed_at = getattr(ev, "closed_at", None) or ev.completed_at
    return (
        env.group_id,
        env.estate_id,
        env.type,
        source_id,
        kind,
        getattr(ev, "category", None),
        getattr(ev, "department", None),
        closed_at,
    )


async def sources(conn: Connection, batch: Batch) -> None:
    await conn.executemany(
        """INSERT INTO sources (group_id, estate_id, source_type, source_id, kind, category, department, closed_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (group_id, estate_id, source_type, source_id) DO UPDATE SET kind = EXCLUDED.kind,
             category = EXCLUDED.category, department = EXCLUDED.department, closed_at = EXCLUDED.closed_at""",
        [_source_row(ev, env) for ev, env in batch],
    )


async def complaints_registered(conn: Connection, batch: Batch) -> None:
    rows = [
        (
            env.group_id,
            env.estate_id,
            ev.complaint_id,
            ev.channel.value,
            ev.grade.value,
            ev.validity.value if ev.validity else None,
            ev.category,
            ev.subcategory,
            ev.department,
            ev.description,
            ev.received_at,
        )
        for ev, env in batch
    ]
    sql = """INSERT INTO complaints (group_id, estate_id, complaint_id, channel, grade, validity, category, subcategory,
                                     department, description, received_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
             ON CONFLICT (group_id, estate_id, complaint_id) DO UPDATE SET channel = EXCLUDED.channel,
               received_at = EXCLUDED.received_at, description = EXCLUDED.description,
               grade = COALESCE(complaints.grade, EXCLUDED.grade),
               validity = COALESCE(complaints.validity, EXCLUDED.validity),
               category = COALESCE(complaints.category, EXCLUDED.category),
               subcategory = COALESCE(complaints.subcategory, EXCLUDED.subcategory),
               department = COALESCE(complaints.department, EXCLUDED.department)"""
    await conn.executemany(sql, rows)


async def complaints_resolved(conn: Connection, batch: Batch) -> None:
    # The resolution judges grade, validity and category (R-CB-1); the latest round wins.
    rows = [
        (
            env.group_id,
            env.estate_id,
            ev.complaint_id,
            ev.grade.value,
            ev.validity.value,
            ev.category,
            ev.subcategory,
            ev.department,
            ev.result,
            ev.resolved_at,
            ev.accepted_by_requester,
            ev.round,
        )
        for ev, env in batch
    ]
    sql = """INSERT INTO complaints (group_id, estate_id, complaint_id, grade, validity, category, subcategory,
                                     department, result, resolved_at, accepted, resolutions)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
             ON CONFLICT (group_id, estate_id, complaint_id) DO UPDATE SET grade = EXCLUDED.grade,
               validity = EXCLUDED.validity, category = EXCLUDED.category, subcategory = EXCLUDED.subcategory,
               department = EXCLUDED.department, result = EXCLUDED.result, resolved_at = EXCLUDED.resolved_at,
               accepted = EXCLUDED.accepted, resolutions = GREATEST(complaints.resolutions, EXCLUDED.resolutions)
             WHERE complaints.resolutions <= EXCLUDED.resolutions"""
    await conn.executemany(sql, rows)


async def complaints_reopened(conn: Connection, batch: Batch) -> None:
    # R-CB-10: `round` is the round that starts now, so reopenings = round - 1 whatever the order.
    rows = [(env.group_id, env.estate_id, ev.complaint_id, ev.round - 1) for ev, env in batch]
    sql = """INSERT INTO complaints (group_id, estate_id, complaint_id, reopenings, resolved_at)
             VALUES ($1, $2, $3, $4, NULL)
             ON CONFLICT (group_id, estate_id, complaint_id)
             DO UPDATE SET reopenings = GREATEST(complaints.reopenings, EXCLUDED.reopenings)"""
    await conn.executemany(sql, rows)


async def campaigns_opened(conn: Connection, batch: Batch) -> None:
    rows = [
        (env.group_id, env.estate_id, ev.campaign_id, ev.title, ev.kind.value, ev.issued_count, ev.opens_at)
        for ev, env in batch
    ]
    sql = """INSERT INTO campaigns (group_id, estate_id, campaign_id, title, kind, issued_count, opens_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (group_id, estate_id, campaign_id) DO UPDATE SET title = EXCLUDED.title,
               kind = EXCLUDED.kind, opens_at = EXCLUDED.opens_at,
               issued_count = CASE WHEN campaigns.closed THEN campaigns.issued_count ELSE EXCLUDED.issued_count END"""
    await _campaign_write(conn, batch, sql, rows)


async def campaigns_closed(conn: Connection, batch: Batch) -> None:
    rows = [(env.group_id, env.estate_id, ev.campaign_id, ev.issued_count, ev.returned_count) for ev, env in batch]
    sql = """INSERT INTO campaigns (group_id, estate_id, campaign_id, issued_count, returned_count, closed)
             VALUES ($1, $2, $3, $4, $5, true)
             ON CONFLICT (group_id, estate_id, campaign_id) DO UPDATE SET issued_count = EXCLUDED.issued_count,
               returned_count = EXCLUDED.returned_count, closed = true"""
    await _campaign_write(conn, batch, sql, rows)


async def _campaign_write(conn: Connection, batch: Batch, sql: str, rows: list[tuple[Any, ...]]) -> None:
    await conn.executemany(sql, rows)
    # the campaign's questionnaires count in its month; an open campaign's returned count is theirs
    await remonth_questionnaires(conn, [(env.group_id, env.estate_id, ev.campaign_id) for ev, env in batch])


async def questionnaires(conn: Connection, batch: Batch) -> None:
    rows = [
        (
            env.group_id,
            env.estate_id,
            ev.questionnaire_id,
            ev.campaign_id,
            env.occurred_at,
            {a.dimension.value: {"rating": a.rating.value, "ok": is_satisfied_or_fair(a.rating)} for a in ev.answers},
        )
        for ev, env in batch
    ]
    sql = """INSERT INTO questionnaires (group_id, estate_id, questionnaire_id, campaign_id, returned_at, answers)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (group_id, estate_id, questionnaire_id) DO NOTHING"""
    await conn.executemany(sql, rows)


async def samples(conn: Connection, batch: Batch) -> None:
    await conn.executemany(
        """INSERT INTO samples (group_id, estate_id, sample_id, month, request_kind, population, chosen, door_count,
                                seed, algorithm)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING""",
        [
            (
                env.group_id,
                env.estate_id,
                ev.sample_id,
                ev.month,
                ev.request_kind.value,
                len(ev.population_ids),
                len(ev.chosen_ids),
                ev.door_count,
                ev.seed,
                ev.algorithm,
            )
            for ev, env in batch
        ],
    )


async def policies(conn: Connection, batch: Batch) -> None:
    await conn.executemany(
        """INSERT INTO policies (group_id, estate_id, policy_id, policy_version, preset, effective_from, rules)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING""",
        [
            (
                env.group_id,
                env.estate_id,
                ev.policy_id,
                ev.policy_version,
                ev.preset,
                ev.effective_from,
                [r.model_dump(mode="json") for r in ev.rules],
            )
            for ev, env in batch
        ],
    )
