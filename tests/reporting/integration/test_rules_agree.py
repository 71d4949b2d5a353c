"""Issue 17 §7: each counting and month rule is stated once in Python; where SQL must hold it too, both
give the same answer on the same cases.

The roll-up is recounted inside the database when a poll's transaction commits (migration 0003's
`reporting_recount`), and each fact row's month is set by the database whatever wrote it
(`reporting_month`, the BEFORE triggers, the quarter functions); the month closer asks SQL which months
have closed. Every case below goes through the Python function (`domain/counting.py`, `domain/months.py`)
and through that SQL on a real database.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import pytest
from huifang_infra.migrations import infra_migrations, migrate, service_migrations
from huifang_reporting.adapters.actions import months_due_for_closing
from huifang_reporting.adapters.months import remonth_estates
from huifang_reporting.adapters.queries import drill_down
from huifang_reporting.domain.counting import (
    GRADES,
    VALIDITIES,
    CallbackFact,
    CampaignFact,
    ComplaintFact,
    callback_counts,
    campaign_counts,
    complaint_counts,
    questionnaire_counts,
)
from huifang_reporting.domain.kpis import Counts
from huifang_reporting.domain.months import (
    DEFAULT_ZONE,
    callback_counted_at,
    closes_at,
    complaint_counted_at,
    fact_month,
    quarter_months,
    quarter_of,
    quarters_of_year,
    questionnaire_counted_at,
)

pytestmark = pytest.mark.integration

G = "G1"
AT = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)
MONTH = "2026-03"  # AT in the default zone, where every counting case's estate is (none registered)


@pytest.fixture
async def conn(database_url: str) -> AsyncIterator[asyncpg.Connection]:
    connection = await asyncpg.connect(database_url)
    await migrate(connection, [infra_migrations(), service_migrations("reporting")])
    try:
        yield connection
    finally:
        await connection.close()


async def _month_rows(conn: asyncpg.Connection) -> dict[str, Counts]:
    rows = await conn.fetch("SELECT * FROM estate_month_kpis WHERE group_id = $1 AND month = $2", G, MONTH)
    return {r["estate_id"]: Counts.from_row(r) for r in rows}


# -- counting ------------------------------------------------------------------------------------------

CALLBACK_CASES = [
    CallbackFact(kind, due, completed, satisfied, late, failed, overdue)
    for kind, due, completed, satisfied, late, failed, overdue in itertools.product(
        (None, "complaint", "repair"), (False, True), (False, True), (None, True, False), (None, True, False),
        (False, True), (False, True),
    )
]  # fmt: skip


def _callback_row(estate_id: str, callback_id: str, f: CallbackFact) -> tuple[Any, ...]:
    def at(flag: bool) -> datetime | None:
        return AT if flag else None

    return (
        G, estate_id, callback_id, AT, f.kind, at(f.due), at(f.completed), f.satisfied_or_fair, f.late,
        at(f.failed), at(f.overdue),
    )  # fmt: skip


async def test_r_rp_1_r_rp_2_the_recount_counts_callbacks_as_the_python_rule_does(conn: asyncpg.Connection) -> None:
    rows = [_callback_row(f"E{i}", f"cb{i}", case) for i, case in enumerate(CALLBACK_CASES)]
    rows += [_callback_row("ALL", f"cb{i}", case) for i, case in enumerate(CALLBACK_CASES)]
    async with conn.transaction():  # the recount runs at commit
        await conn.executemany(
            """INSERT INTO callbacks (group_id, estate_id, callback_id, seen_at, kind, due_at, completed_at,
                   satisfied_or_fair, late, failed_at, overdue_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)""",
            rows,
        )
    counted = await _month_rows(conn)
    assert len(CALLBACK_CASES) == 432
    disagreeing = [
        (case, counted.get(f"E{i}"))
        for i, case in enumerate(CALLBACK_CASES)
        if counted.get(f"E{i}") != callback_counts([case])
    ]
    assert disagreeing == []
    assert counted["ALL"] == callback_counts(CALLBACK_CASES)
    assert counted["ALL"].callbacks_failed > 0 and counted["ALL"].callbacks_on_time > 0  # the cases count something
    # the drill-down counts in Python what the roll-up counted in SQL (R-RP-4)
    assert await drill_down(conn, G, "ALL", "department", MONTH, MONTH) == [("", counted["ALL"])]


COMPLAINT_CASES = [ComplaintFact(g, v) for g, v in itertools.product((None, *GRADES), (None, *VALIDITIES, "unknown"))]


async def test_the_recount_counts_complaints_by_grade_and_validity_as_the_python_rule_does(
    conn: asyncpg.Connection,
) -> None:
    rows = [
        (G, estate, f"c{i}", c.grade, c.validity, AT)
        for i, c in enumerate(COMPLAINT_CASES)
        for estate in (f"E{i}", "ALL")
    ]
    async with conn.transaction():
        await conn.executemany(
            """INSERT INTO complaints (group_id, estate_id, complaint_id, grade, validity, received_at)
               VALUES ($1, $2, $3, $4, $5, $6)""",
            rows,
        )
    counted = await _month_rows(conn)
    assert {i: counted.get(f"E{i}") for i in range(len(COMPLAINT_CASES))} == {
        i: complaint_counts([c]) for i, c in enumerate(COMPLAINT_CASES)
    }
    assert counted["ALL"] == complaint_counts(COMPLAINT_CASES)


#: (the overall item's flag, or None when it was not answered) for each questionnaire of a campaign
CAMPAIGN_CASES: list[tuple[CampaignFact, list[bool | None]]] = [
    (CampaignFact(issued=10, closed=False, returned_at_close=0, questionnaires_seen=3), [True, False, None]),
    (CampaignFact(issued=10, closed=True, returned_at_close=7, questionnaires_seen=2), [True, True]),
    (CampaignFact(issued=4, closed=True, returned_at_close=0, questionnaires_seen=0), []),
    (CampaignFact(issued=0, closed=False, returned_at_close=0, questionnaires_seen=1), [False]),
]


async def test_r_sv_4_the_recount_counts_campaigns_and_questionnaires_as_the_python_rules_do(
    conn: asyncpg.Connection,
) -> None:
    async with conn.transaction():
        for i, (campaign, overall) in enumerate(CAMPAIGN_CASES):
            for estate in (f"E{i}", "ALL"):
                await conn.execute(
                    """INSERT INTO campaigns (group_id, estate_id, campaign_id, issued_count, returned_count, opens_at,
                           closed) VALUES ($1, $2, $3, $4, $5, $6, $7)""",
                    G, estate, f"cp{i}", campaign.issued, campaign.returned_at_close if campaign.closed else None, AT,
                    campaign.closed,
                )  # fmt: skip
                for n, ok in enumerate(overall):
                    answers = {"cleaning": {"rating": "satisfied", "ok": True}}
                    if ok is not None:
                        answers["overall"] = {"rating": "satisfied" if ok else "dissatisfied", "ok": ok}
                    await conn.execute(
                        """INSERT INTO questionnaires (group_id, estate_id, questionnaire_id, campaign_id, returned_at,
                               answers) VALUES ($1, $2, $3, $4, $5, $6::text::jsonb)""",
                        G, estate, f"q{i}-{n}", f"cp{i}", AT + timedelta(days=1), json.dumps(answers),
                    )  # fmt: skip
    counted = await _month_rows(conn)

    def expected(cases: list[tuple[CampaignFact, list[bool | None]]]) -> Counts:
        flags = [ok for _, overall in cases for ok in overall]
        return campaign_counts(c for c, _ in cases) + questionnaire_counts(flags)

    assert {i: counted[f"E{i}"] for i in range(len(CAMPAIGN_CASES))} == {
        i: expected([case]) for i, case in enumerate(CAMPAIGN_CASES)
    }
    assert counted["ALL"] == expected(CAMPAIGN_CASES)


# -- months ----------------------------------------------------------------------------------------------

ZONES = {
    "E-sh": "Asia/Shanghai",
    "E-ldn": "Europe/London",
    "E-ny": "America/New_York",
    "E-akl": "Pacific/Auckland",
    "E-kol": "Asia/Kolkata",
    "E-gmt5": "Etc/GMT+5",
    "E-unknown": None,  # not registered: the default zone
}

INSTANTS = [
    datetime(2026, 1, 31, 15, 59, 59, tzinfo=UTC),  # 23:59:59 in Shanghai
    datetime(2026, 1, 31, 16, 0, tzinfo=UTC),  # midnight in Shanghai: February
    datetime(2026, 3, 31, 23, 30, tzinfo=UTC),  # London on summer time: 1 April 00:30
    datetime(2026, 3, 31, 22, 59, tzinfo=UTC),
    datetime(2026, 4, 30, 18, 29, tzinfo=UTC),  # Kolkata +5:30: 23:59
    datetime(2026, 4, 30, 18, 30, tzinfo=UTC),
    datetime(2026, 11, 1, 4, 30, tzinfo=UTC),  # New York's clocks go back that night
    datetime(2026, 10, 31, 11, 0, tzinfo=UTC),  # Auckland +13: 1 November
    datetime(2026, 12, 31, 16, 0, tzinfo=UTC),  # the new year in Shanghai
    datetime(2028, 2, 29, 12, 0, tzinfo=UTC),  # a leap day
    datetime(2028, 3, 1, 4, 59, tzinfo=UTC),  # still 29 February at GMT+5's (POSIX sign: UTC-5)
]


async def _register_zones(conn: asyncpg.Connection) -> None:
    await conn.executemany(
        "INSERT INTO estates (group_id, estate_id, name, timezone) VALUES ($1, $2, $2, $3)",
        [(G, estate, zone) for estate, zone in ZONES.items() if zone is not None],
    )


async def test_reporting_month_is_the_python_month_of_every_instant_in_every_zone(conn: asyncpg.Connection) -> None:
    await _register_zones(conn)
    cases = [(at, estate) for at in [*INSTANTS, None] for estate in ZONES]
    found = await conn.fetch(
        "SELECT k.i, reporting_month(k.at, $3, k.e) AS month FROM unnest($1::timestamptz[], $2::text[]) "
        "WITH ORDINALITY AS k(at, e, i) ORDER BY k.i",
        [at for at, _ in cases], [estate for _, estate in cases], G,
    )  # fmt: skip
    sql = [r["month"] for r in found]
    python = [fact_month(at, ZONES[estate]) for at, estate in cases]
    assert sql == python
    assert len(set(python)) > 8  # the instants straddle boundaries: many months, not one


#: due_at, completed_at, failed_at, overdue_at, first_attempt_at
Instants = tuple[datetime | None, datetime | None, datetime | None, datetime | None, datetime | None]


def _callback_instants() -> list[Instants]:
    """Each of the deciding instants present or not (seen_at always is), a distinct month each."""
    due, completed, failed, overdue, attempt = (datetime(2026, m, 15, tzinfo=UTC) for m in (1, 2, 3, 4, 5))
    return [
        (d, c, f, o, a)
        for d, c, f, o, a in itertools.product(*[(None, x) for x in (due, completed, failed, overdue, attempt)])
    ]


SEEN = datetime(2026, 6, 15, tzinfo=UTC)


async def test_a_callbacks_month_follows_the_python_rule_and_moves_with_its_estates_zone(
    conn: asyncpg.Connection,
) -> None:
    await _register_zones(conn)
    cases = [(estate, instants) for estate in ("E-ldn", "E-unknown") for instants in _callback_instants()]
    await conn.executemany(
        """INSERT INTO callbacks (group_id, estate_id, callback_id, seen_at, due_at, completed_at, failed_at,
               overdue_at, first_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)""",
        [(G, estate, f"cb{i}", SEEN, *instants) for i, (estate, instants) in enumerate(cases)],
    )

    async def months() -> tuple[list[str | None], list[str | None]]:
        rows = await conn.fetch("SELECT callback_id, month FROM callbacks ORDER BY substr(callback_id, 3)::int")
        zones = {r["estate_id"]: r["timezone"] for r in await conn.fetch("SELECT estate_id, timezone FROM estates")}
        python = [fact_month(callback_counted_at(*instants, SEEN), zones.get(estate)) for estate, instants in cases]
        return [r["month"] for r in rows], python

    sql, python = await months()
    assert sql == python and set(python) == {"2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"}
    # a late completion leaves the callback in the month it was owed in
    await conn.execute("UPDATE callbacks SET completed_at = $1 WHERE due_at IS NOT NULL", SEEN + timedelta(days=40))
    later = SEEN + timedelta(days=40)
    cases = [(e, (d, later if d is not None else c, f, o, a)) for e, (d, c, f, o, a) in cases]
    sql, python = await months()
    assert sql == python
    # the estate moves to the other side of the date line: every month is decided again, in both
    await conn.execute("UPDATE estates SET timezone = 'Pacific/Kiritimati' WHERE estate_id = 'E-ldn'")
    await remonth_estates(conn, [(G, "E-ldn")])
    sql, python = await months()
    assert sql == python


async def test_complaints_and_questionnaires_count_in_the_month_of_the_python_rule(conn: asyncpg.Connection) -> None:
    await _register_zones(conn)
    received, resolved = datetime(2026, 1, 31, 23, 30, tzinfo=UTC), datetime(2026, 3, 31, 23, 30, tzinfo=UTC)
    complaints = list(itertools.product(("E-ldn", "E-sh", "E-unknown"), (None, received), (None, resolved)))
    await conn.executemany(
        """INSERT INTO complaints (group_id, estate_id, complaint_id, received_at, resolved_at)
           VALUES ($1, $2, $3, $4, $5)""",
        [(G, e, f"c{i}", rec, res) for i, (e, rec, res) in enumerate(complaints)],
    )
    rows = await conn.fetch("SELECT month FROM complaints ORDER BY substr(complaint_id, 2)::int")
    assert [r["month"] for r in rows] == [
        fact_month(complaint_counted_at(rec, res), ZONES[e]) for e, rec, res in complaints
    ]

    opens, returned = datetime(2026, 4, 30, 23, 30, tzinfo=UTC), datetime(2026, 6, 1, 0, 0, tzinfo=UTC)
    await conn.execute(
        "INSERT INTO campaigns (group_id, estate_id, campaign_id, opens_at) VALUES ($1, 'E-ldn', 'cp-open', $2)",
        G, opens,
    )  # fmt: skip
    questionnaires = [("E-ldn", "cp-open", opens), ("E-ldn", "cp-not-seen-yet", None), ("E-sh", "cp-open", None)]
    await conn.executemany(
        """INSERT INTO questionnaires (group_id, estate_id, questionnaire_id, campaign_id, returned_at, answers)
           VALUES ($1, $2, $3, $4, $5, '{}')""",
        [(G, e, f"q{i}", cp, returned) for i, (e, cp, _) in enumerate(questionnaires)],
    )
    rows = await conn.fetch("SELECT month FROM questionnaires ORDER BY questionnaire_id")
    assert [r["month"] for r in rows] == [
        fact_month(questionnaire_counted_at(o, returned), ZONES[e]) for e, _, o in questionnaires
    ]
    assert rows[0]["month"] == "2026-05" != rows[1]["month"]  # London: the campaign opened on 1 May


async def test_quarters_and_years_of_the_roll_up_are_the_python_ones(conn: asyncpg.Connection) -> None:
    months = [f"{y}-{m:02d}" for y in (1999, 2026, 2999) for m in range(1, 13)]
    rows = await conn.fetch(
        "SELECT m, reporting_quarter(m) AS q, reporting_quarter_months(m) AS qm, reporting_year_quarters(m) AS yq "
        "FROM unnest($1::text[]) WITH ORDINALITY AS k(m, i) ORDER BY i",
        months,
    )
    assert [(r["q"], list(r["qm"]), list(r["yq"])) for r in rows] == [
        (quarter_of(m), quarter_months(quarter_of(m)), quarters_of_year(m[:4])) for m in months
    ]


async def test_the_closers_query_finds_the_months_the_python_close_rule_has_closed(conn: asyncpg.Connection) -> None:
    await _register_zones(conn)
    months = ["2025-12", "2026-02", "2026-03", "2026-10"]  # a year end, February, both summer-time changes
    zeros = ", ".join(["0"] * len(Counts.names()))
    for estate in ZONES:
        for month in months:
            await conn.execute(f"INSERT INTO estate_month_kpis VALUES ($1, $2, $3, {zeros})", G, estate, month)
    # each month's closing instant in every zone, a second before and at it, for no grace and the default 5
    nows = sorted(
        {
            at + delta
            for month in months
            for zone in ZONES.values()
            for grace in (0, 5)
            for at in [closes_at(month, zone or DEFAULT_ZONE, grace)]
            for delta in (timedelta(seconds=-1), timedelta(0))
        }
    )
    for grace in (0, 5):
        for now in nows:
            found = {(r["estate_id"], r["month"]) for r in await months_due_for_closing(conn, now, grace)}
            closed = {
                (estate, month)
                for estate, zone in ZONES.items()
                for month in months
                if closes_at(month, zone or DEFAULT_ZONE, grace) <= now
            }
            assert (grace, now, found) == (grace, now, closed)
