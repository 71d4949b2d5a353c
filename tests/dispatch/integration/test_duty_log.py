"""R-OP-3: the duty log is append-only in the database itself; only the admin purge deletes, past 3 years."""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import pytest
from huifang_dispatch.entrypoints.api import create_app
from huifang_infra.auth import Role
from huifang_infra.migrations import infra_migrations, migrate, service_migrations

from tests.dispatch.support import GROUP, FakeClock, settings
from tests.support.service import bearer, running_service

pytestmark = pytest.mark.integration

INSERT = """INSERT INTO duty_log_entries (group_id, estate_id, service_center, duty_date, kind, author_id, author_role,
                                          body, recorded_at)
            VALUES ('G1', 'E1', 'main', $1::text::date, 'entry', 'li', 'receptionist', $2, $3::text::timestamptz)
            RETURNING entry_id, recorded_at"""


async def insert(conn: asyncpg.Connection, day: str, body: str, at: str) -> asyncpg.Record:
    row = await conn.fetchrow(INSERT, day, body, at)
    assert row is not None
    return row


@pytest.fixture
async def conn(database_url: str) -> AsyncIterator[asyncpg.Connection]:
    connection = await asyncpg.connect(database_url)
    await migrate(connection, [infra_migrations(), service_migrations("dispatch")])
    yield connection
    await connection.close()


async def test_update_delete_and_truncate_are_refused_by_the_database(conn: asyncpg.Connection) -> None:
    entry = await insert(conn, "2026-03-05", "02:10 3栋电梯困人，已通知工程部", "2020-01-01T00:00Z")
    # The server stamps the time: a back-dated entry is not possible outside an import.
    assert entry["recorded_at"].year >= 2026
    for statement in (
        "UPDATE duty_log_entries SET body = '改写' WHERE entry_id = $1",
        "DELETE FROM duty_log_entries WHERE entry_id = $1",
    ):
        with pytest.raises(asyncpg.IntegrityConstraintViolationError, match="append-only"):
            await conn.execute(statement, entry["entry_id"])
    with pytest.raises(asyncpg.IntegrityConstraintViolationError, match="append-only"):
        await conn.execute("TRUNCATE duty_log_entries")
    # The session setting alone does not open recent entries to deletion.
    async with conn.transaction():
        await conn.execute("SET LOCAL huifang.duty_log_purge = 'on'")
        with pytest.raises(asyncpg.IntegrityConstraintViolationError):
            await conn.execute("DELETE FROM duty_log_entries WHERE entry_id = $1", entry["entry_id"])
    assert await conn.fetchval("SELECT body FROM duty_log_entries WHERE entry_id = $1", entry["entry_id"]) == (
        "02:10 3栋电梯困人，已通知工程部"
    )


async def test_the_admin_purge_deletes_only_entries_older_than_three_years(conn: asyncpg.Connection) -> None:
    async with conn.transaction():  # importing the paper logs of earlier years keeps their dates
        await conn.execute("SET LOCAL huifang.duty_log_import = 'on'")
        old = await insert(conn, "2021-06-01", "旧记录", "2021-06-01T00:00Z")
        assert old["recorded_at"].year == 2021
        kept = await insert(conn, "2024-06-01", "两年多前", "2024-06-01T00:00Z")
    recent = await insert(conn, "2026-03-05", "今天", "2020-01-01T00:00Z")
    with pytest.raises(asyncpg.RaiseError, match="at least 3 years"):
        await conn.fetchval("SELECT purge_duty_log(interval '1 year')")
    assert await conn.fetchval("SELECT purge_duty_log()") == 1
    left = {r["entry_id"] for r in await conn.fetch("SELECT entry_id FROM duty_log_entries")}
    assert left == {kept["entry_id"], recent["entry_id"]}
    assert old["entry_id"] not in left


async def test_corrections_reference_the_old_entry_and_the_supervisor_signs_once(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    app = create_app(settings(database_url, kafka_bootstrap, unique), clock=FakeClock())
    clerk = bearer(Role.receptionist, GROUP, ["E1"], sub="li")
    supervisor = bearer(Role.department_head, GROUP, ["E1"], sub="zhang")
    async with running_service(app) as client:
        first = await client.post("/duty-log", json={"estate_id": "E1", "body": "10:05 2栋漏水"}, headers=clerk)
        assert first.status_code == 201 and first.json()["duty_date"] == "2026-03-05"
        fix = await client.post(
            "/duty-log",
            headers=clerk,
            json={"estate_id": "E1", "body": "更正：是3栋漏水", "corrects_entry_id": first.json()["entry_id"]},
        )
        assert fix.json()["kind"] == "correction"
        bad = await client.post(
            "/duty-log", json={"estate_id": "E1", "body": "x", "corrects_entry_id": 999}, headers=clerk
        )
        assert bad.status_code == 422 and bad.json()["errors"][0]["loc"] == ["corrects_entry_id"]
        sign = {"estate_id": "E1", "duty_date": "2026-03-04"}
        assert (await client.post("/duty-log/sign-off", json=sign, headers=clerk)).status_code == 403
        assert (await client.post("/duty-log/sign-off", json=sign, headers=supervisor)).status_code == 201
        assert (await client.post("/duty-log/sign-off", json=sign, headers=supervisor)).status_code == 409
        future = {"estate_id": "E1", "duty_date": "2026-03-06"}
        assert (await client.post("/duty-log/sign-off", json=future, headers=supervisor)).status_code == 422
        day = (await client.get("/duty-log", params={"estate_id": "E1"}, headers=clerk)).json()
        assert [(e["kind"], e["corrected_by"]) for e in day] == [
            ("entry", [fix.json()["entry_id"]]),
            ("correction", []),
        ]
