"""Survey's state tables as ordered row hashes: equal hashes, equal contents (the rebuild tests)."""

from __future__ import annotations

from collections.abc import Sequence

from huifang_infra.db import Connection
from huifang_infra.state_rebuild import rebuild_state
from huifang_survey.bootstrap import state_parts
from huifang_survey.config import SurveySettings

#: Each state table with the key its rows are ordered by.
STATE_TABLES = {
    "callbacks": "callback_id",
    "callback_attempts": "callback_id, attempt_no",
    "callback_records": "callback_id",
    "raised_issues": "issue_id",
    "campaigns": "campaign_id",
    "questionnaires": "questionnaire_id",
    "ballots": "token_digest",
}


async def row_hashes(conn: Connection, tables: Sequence[str] = tuple(STATE_TABLES)) -> dict[str, list[str]]:
    return {
        table: [r[0] for r in await conn.fetch(f"SELECT md5(t::text) FROM {table} t ORDER BY {STATE_TABLES[table]}")]
        for table in tables
    }


async def rebuild(conn: Connection) -> int:
    """`huifang rebuild state --service survey` on this connection: the events folded."""
    return (await rebuild_state(conn, state_parts(SurveySettings()))).events
