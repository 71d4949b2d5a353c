"""Policy versions: a projection of the policy streams; the latest version of a scope's policy is in force."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from huifang_infra.db import Connection
from huifang_infra.repository import Decided

from huifang_callback.domain.events import VersionAdopted
from huifang_callback.domain.policy import PolicyBody, PolicyInForce


@dataclass(frozen=True)
class PolicyVersion:
    policy_id: str
    version: int
    group_id: str
    estate_id: str | None
    name: str
    body: PolicyBody
    changed_by: str | None
    changed_at: datetime

    @property
    def in_force(self) -> PolicyInForce:
        return PolicyInForce(policy_id=self.policy_id, version=self.version, body=self.body)


def _row(row: Any) -> PolicyVersion:
    values = dict(row)
    values["body"] = PolicyBody.model_validate(values["body"])
    return PolicyVersion(**values)


_COLUMNS = "policy_id, version, group_id, estate_id, name, body, changed_by, changed_at"


def version_of(adopted: VersionAdopted) -> PolicyVersion:
    a = adopted
    return PolicyVersion(a.policy_id, a.version, a.group_id, a.estate_id, a.name, a.body, a.changed_by, a.changed_at)


async def project_policies(conn: Connection, decided: Sequence[Decided[Any, Any, Any]]) -> None:
    """A row per version, as the policy streams hold them (a replayed version inserts nothing)."""
    adopted = [e for d in decided for e in d.events if isinstance(e, VersionAdopted)]
    await conn.executemany(
        f"INSERT INTO policies ({_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
        [
            (a.policy_id, a.version, a.group_id, a.estate_id, a.name, a.body.model_dump(mode="json"), a.changed_by,
             a.changed_at)
            for a in adopted
        ],
    )  # fmt: skip


async def latest(conn: Connection, policy_id: str) -> PolicyVersion | None:
    row = await conn.fetchrow(
        f"SELECT {_COLUMNS} FROM policies WHERE policy_id = $1 ORDER BY version DESC LIMIT 1", policy_id
    )
    return _row(row) if row else None


async def versions(conn: Connection, policy_id: str) -> list[PolicyVersion]:
    rows = await conn.fetch(f"SELECT {_COLUMNS} FROM policies WHERE policy_id = $1 ORDER BY version", policy_id)
    return [_row(r) for r in rows]


async def latest_for_scope(conn: Connection, group_id: str, estate_ids: list[str] | None) -> list[PolicyVersion]:
    """The latest version of every policy of the group (estate policies limited to `estate_ids`)."""
    rows = await conn.fetch(
        f"""SELECT DISTINCT ON (policy_id) {_COLUMNS} FROM policies
            WHERE group_id = $1 AND (estate_id IS NULL OR $2::text[] IS NULL OR estate_id = ANY($2::text[]))
            ORDER BY policy_id, version DESC""",
        group_id,
        estate_ids,
    )
    return [_row(r) for r in rows]


async def in_force_for(conn: Connection, group_id: str, estate_id: str) -> PolicyVersion | None:
    """The estate's own policy, else its group's; None: the estate's preset applies."""
    row = await conn.fetchrow(
        f"""SELECT {_COLUMNS} FROM policies
            WHERE group_id = $1 AND (estate_id = $2 OR estate_id IS NULL)
            ORDER BY (estate_id IS NULL), version DESC LIMIT 1""",
        group_id,
        estate_id,
    )
    return _row(row) if row else None


async def all_latest(conn: Connection) -> list[PolicyVersion]:
    """The latest version of every policy (the sampling clock resolves all estates at once)."""
    rows = await conn.fetch(f"SELECT DISTINCT ON (policy_id) {_COLUMNS} FROM policies ORDER BY policy_id, version DESC")
    return [_row(r) for r in rows]


async def latest_for_groups(conn: Connection, group_ids: list[str]) -> list[PolicyVersion]:
    """The latest version of every policy of these groups (a consumer batch resolves its estates at once)."""
    rows = await conn.fetch(
        f"""SELECT DISTINCT ON (policy_id) {_COLUMNS} FROM policies WHERE group_id = ANY($1::text[])
            ORDER BY policy_id, version DESC""",
        group_ids,
    )
    return [_row(r) for r in rows]
