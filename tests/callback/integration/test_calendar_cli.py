"""Issue 18 §6: `huifang calendar load FILE --group G` loads a year's notice as the API does, and a file
that cannot be right is refused with its field named — nothing loaded."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import asyncpg
import pytest
from huifang_devstack.cli import app
from typer.testing import CliRunner

pytestmark = pytest.mark.integration

NOTICE = {"year": 2027, "source": "国务院办公厅关于2027年部分节假日安排的通知",
          "holidays": ["2027-01-01", "2027-02-08"], "workdays": ["2027-02-20"]}  # fmt: skip


async def _rows(url: str) -> list[tuple[str, int, list[str]]]:
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch("SELECT group_id, year, workdays::text AS w FROM calendar_schedules")
    finally:
        await conn.close()
    return [(r["group_id"], r["year"], json.loads(r["w"])) for r in rows]


def test_huifang_calendar_load_puts_the_notice_on_the_groups_calendar(database_url: str, tmp_path: Path) -> None:
    good, bad = tmp_path / "2027.json", tmp_path / "bad.json"
    good.write_text(json.dumps(NOTICE, ensure_ascii=False), encoding="utf-8")
    bad.write_text(json.dumps(NOTICE | {"workdays": ["2027-02-22"]}), encoding="utf-8")  # a Monday
    runner = CliRunner()
    refused = runner.invoke(app, ["calendar", "load", str(bad), "--group", "G1", "--database-url", database_url])
    loaded = runner.invoke(app, ["calendar", "load", str(good), "--group", "G1", "--database-url", database_url])
    rows = asyncio.run(_rows(database_url))
    assert refused.exit_code != 0 and "weekend" in str(refused.exception)
    assert loaded.exit_code == 0, loaded.output
    assert "0 callbacks revised" in loaded.output
    assert rows == [("G1", 2027, ["2027-02-20"])]
