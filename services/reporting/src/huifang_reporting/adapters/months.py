"""Moving facts to another month when what decides their month changes outside their own row.

A fact's month follows its own deciding instant by itself (a trigger, migration 0003), and every
change of a counted fact marks the months it left and joined for the recount at commit. Two things
decide a month from elsewhere: the estate's zone (an estate registered late, or moved zone) and a
questionnaire's campaign (questionnaires count in their campaign's month). Setting the row's month
to NULL makes the trigger recompute it, and the marks follow.
"""

from __future__ import annotations

from collections.abc import Sequence

from huifang_infra.db import Connection

Key = tuple[str, str, str]
"""(group_id, estate_id, month)"""
Ident = tuple[str, str, str]
"""(group_id, estate_id, fact id)"""

#: The fact tables whose month depends on the estate's zone.
FACT_TABLES = ("callbacks", "sources", "complaints", "campaigns", "questionnaires")


async def remonth_estates(conn: Connection, estates: Sequence[tuple[str, str]]) -> None:
    """Recompute the months of every fact of these estates (their zone changed)."""
    if not estates:
        return
    groups, ids = [g for g, _ in estates], [e for _, e in estates]
    # campaigns before questionnaires: a questionnaire's month is read from its campaign
    for table in FACT_TABLES:
        # NULL: the BEFORE trigger recomputes `month` (it keeps it only when the instant is unchanged)
        await conn.execute(
            f"""UPDATE {table} t SET month = NULL FROM unnest($1::text[], $2::text[]) AS k(g, e)
                WHERE t.group_id = k.g AND t.estate_id = k.e""",
            groups,
            ids,
        )


async def remonth_questionnaires(conn: Connection, campaigns: Sequence[Ident]) -> None:
    """Recompute the months of these campaigns' questionnaires (the campaign opened or moved)."""
    await conn.execute(
        """UPDATE questionnaires t SET month = NULL FROM unnest($1::text[], $2::text[], $3::text[]) AS k(g, e, c)
           WHERE t.group_id = k.g AND t.estate_id = k.e AND t.campaign_id = k.c""",
        [c[0] for c in campaigns],
        [c[1] for c in campaigns],
        [c[2] for c in campaigns],
    )
