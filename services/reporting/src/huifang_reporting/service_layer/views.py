"""The KPI answers the API and the dashboard show: queries plus the domain's formulas and targets."""

from __future__ import annotations

from typing import Any

from huifang_contracts.enums import Metric, SurveyDimension
from huifang_infra.auth import Scope
from huifang_infra.db import Connection

from huifang_reporting.adapters import queries
from huifang_reporting.adapters.actions import target_rows
from huifang_reporting.domain.definitions import definitions
from huifang_reporting.domain.kpis import Counts, Ratio, kpi_answer, rates
from huifang_reporting.domain.targets import ALL_ESTATES, breaches, targets_for

_OVERALL, _CALLBACK = Metric.OVERALL_SATISFACTION.value, Metric.CALLBACK_SATISFACTION.value


def _rank_key(item: dict[str, Any]) -> tuple[bool, float, float, str]:
    # Ranked by overall satisfaction (R-SV-4), then callback satisfaction (R-RP-1); no figure ranks last.
    overall = item["kpis"]["rates"][_OVERALL]["percent"]
    callback = item["kpis"]["rates"][_CALLBACK]["percent"]
    return (overall is None, -(overall or 0.0), -(callback or 0.0), item["estate_id"])


async def overview(conn: Connection, scope: Scope, first: str, last: str) -> dict[str, Any]:
    """R-RP-4: the group roll-up with its estates ranked and the below-target ones flagged.

    A group has a thousand estates: each estate's rates are computed once and serve the answer, the
    ranking and the target check alike; estates without targets of their own share the group's.
    """
    per_estate = await queries.by_estate(conn, scope, first, last)
    names = await queries.estates_in_scope(conn, scope)
    rows = await target_rows(conn, scope.group_id)
    own = {r.estate_id for r in rows}
    group_targets = targets_for(ALL_ESTATES, rows)
    group_shown = {m.value: t for m, t in group_targets.items()}
    estates = []
    for estate_id, counts in per_estate:
        targets = targets_for(estate_id, rows) if estate_id in own else group_targets
        shown = {m.value: t for m, t in targets.items()} if estate_id in own else group_shown
        found = rates(counts)
        estates.append(
            {
                "estate_id": estate_id,
                "name": names.get(estate_id, {}).get("name", estate_id),
                "kpis": kpi_answer(counts, found),
                "targets": shown,
                "below_target": [b.metric.value for b in breaches(counts, targets, found)],
            }
        )
    estates.sort(key=_rank_key)
    for rank, item in enumerate(estates, start=1):
        item["rank"] = rank
    total = Counts.total(counts for _, counts in per_estate)
    return {
        "group_id": scope.group_id,
        "from": first,
        "to": last,
        "definitions": definitions(),
        "group": kpi_answer(total),
        "estates": estates,
    }


async def trend(conn: Connection, scope: Scope, first: str, last: str, estate_id: str | None) -> dict[str, Any]:
    by_month = await queries.by_month(conn, scope, first, last, estate_id)
    return {
        "from": first,
        "to": last,
        "estate_id": estate_id,
        "definitions": definitions(),
        "months": [{"month": month, "kpis": kpi_answer(counts)} for month, counts in by_month.items()],
    }


async def drill_down(
    conn: Connection, group_id: str, estate_id: str, by: str, first: str, last: str, department: str | None
) -> dict[str, Any]:
    """R-RP-4: estate → department → staff; staff rows carry the names dispatch registered."""
    rows = await queries.drill_down(conn, group_id, estate_id, by, first, last, department)
    names = await queries.staff_names(conn, group_id, estate_id) if by == "staff" else {}
    keep = (
        Metric.CALLBACK_SATISFACTION,
        Metric.COMPLAINT_SATISFACTION,
        Metric.TIMELINESS,
        Metric.SUCCESS_RATE,
        Metric.COVERAGE,
    )
    return {
        "estate_id": estate_id,
        "by": by,
        "department": department,
        "from": first,
        "to": last,
        "definitions": definitions(),
        "rows": [
            {
                "key": key,
                "name": names.get(key, key),
                "rates": {m.value: r.as_dict() for m, r in rates(counts).items() if m in keep},
                "counts": {
                    "callbacks_completed": counts.callbacks_completed,
                    "callbacks_overdue": counts.callbacks_overdue,
                    "callbacks_failed": counts.callbacks_failed,
                },
            }
            for key, counts in rows
        ],
    }


async def items(conn: Connection, scope: Scope, first: str, last: str, estate_id: str | None) -> dict[str, Any]:
    """R-SV-4: item satisfaction = satisfied + fairly satisfied for the item / questionnaires returned."""
    returned, ok = await queries.item_satisfaction(conn, scope, first, last, estate_id)
    return {
        "from": first,
        "to": last,
        "estate_id": estate_id,
        "items": {
            d.value: {"label_zh": d.label_zh, **Ratio(ok.get(d.value, 0), returned).as_dict()}
            for d in SurveyDimension
            if d.value in ok
        },
    }


async def complaints(conn: Connection, scope: Scope, first: str, last: str, estate_id: str | None) -> dict[str, Any]:
    total = Counts()
    for counts in (await queries.by_month(conn, scope, first, last, estate_id)).values():
        total = total + counts
    answer = kpi_answer(total)
    return {
        "from": first,
        "to": last,
        "estate_id": estate_id,
        "received": total.complaints_received,
        **answer["complaints"],  # type: ignore[dict-item]
        "category": await queries.complaints_by_category(conn, scope, first, last, estate_id),
        "overdue_callbacks": total.callbacks_overdue,
    }
