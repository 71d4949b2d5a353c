"""R-OP-3: writing the duty log (值班记录) — entries, corrections that reference, the daily sign-off.

Each request is a command on its duty day's stream (`domain/duty_log.py`), run in its own transaction
and re-run on a fresh load when another writer moved the day meanwhile (then 409). The entry's number
and what the corrected entry is come from the projection; the rules from the day.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime

import asyncpg
from huifang_infra.auth import Principal
from huifang_infra.db import Connection, Pool, transaction
from huifang_infra.decider import Decider
from huifang_infra.event_codec import EventCodec
from huifang_infra.eventstore import WrongExpectedVersion
from huifang_infra.repository import Cause, ConcurrencyConflict, Repository

from huifang_dispatch.adapters import duty_log
from huifang_dispatch.adapters.estates import estate_zone
from huifang_dispatch.domain import duty_log as dl
from huifang_dispatch.domain.duty import duty_date_at
from huifang_dispatch.domain.events import DUTY_LOG_EVENTS, DutyDayKey, DutyLogEvent
from huifang_dispatch.entrypoints.schemas import DutyLogIn, SignOffIn
from huifang_dispatch.service_layer.scope import check_estate

DutyLogRepository = Repository[dl.DutyLogCommand, dl.DutyDay, DutyLogEvent]
Clock = Callable[[], datetime]

CODEC: EventCodec[DutyLogEvent] = EventCodec(DUTY_LOG_EVENTS)
ATTEMPTS = 3


def repository() -> DutyLogRepository:
    return Repository(Decider(dl.initial_state, dl.decide, dl.evolve), CODEC, project=duty_log.project_days)


class DutyLog:
    """Built once at the composition root."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.days = repository()

    async def write(self, pool: Pool, principal: Principal, body: DutyLogIn) -> asyncpg.Record:
        """An entry in the current duty day; a correction names the entry it corrects (never edits it)."""
        check_estate(principal, body.estate_id)

        async def command(conn: Connection) -> dl.WriteEntry | dl.SignOff:
            corrected_kind = None
            if body.corrects_entry_id is not None:
                old = await duty_log.get_entry(conn, body.corrects_entry_id)
                here = (principal.group_id, body.estate_id, body.service_center)
                if old is not None and (old["group_id"], old["estate_id"], old["service_center"]) == here:
                    corrected_kind = old["kind"]
            day = duty_date_at(self.clock(), await estate_zone(conn, body.estate_id))
            key = DutyDayKey(principal.group_id, body.estate_id, body.service_center, day)
            entry_id = await duty_log.next_entry_id(conn)
            return dl.WriteEntry(
                key,
                entry_id,
                principal.sub,
                principal.role.value,
                body.body,
                body.corrects_entry_id,
                corrected_kind,
            )

        return await self._run(pool, principal, command)

    async def sign_off(self, pool: Pool, principal: Principal, body: SignOffIn) -> asyncpg.Record:
        """The supervisor checks and signs a duty day's log, once (检查值班记录并签名确认)."""
        check_estate(principal, body.estate_id)

        async def command(conn: Connection) -> dl.WriteEntry | dl.SignOff:
            today = duty_date_at(self.clock(), await estate_zone(conn, body.estate_id))
            key = DutyDayKey(principal.group_id, body.estate_id, body.service_center, body.duty_date)
            entry_id = await duty_log.next_entry_id(conn)
            return dl.SignOff(key, entry_id, principal.sub, principal.role.value, body.body, today)

        return await self._run(pool, principal, command)

    async def _run(
        self, pool: Pool, principal: Principal, make: Callable[[Connection], Awaitable[dl.WriteEntry | dl.SignOff]]
    ) -> asyncpg.Record:
        """The command made and decided in one transaction; the new entry's row back."""
        for _attempt in range(ATTEMPTS):
            try:
                async with transaction(pool) as conn:
                    command = await make(conn)
                    key = command.day
                    cause = Cause(group_id=key.group_id, estate_id=key.estate_id, actor=principal.sub)
                    await self.days.execute(conn, dl.stream_id(key), command, cause)
                    entry = await duty_log.get_entry(conn, command.entry_id)
                    assert entry is not None
                    return entry
            except WrongExpectedVersion:
                continue
        raise ConcurrencyConflict("duty-log", ATTEMPTS)

    async def read_day(
        self, conn: Connection, principal: Principal, estate_id: str, service_center: str, day: date | None
    ) -> list[asyncpg.Record]:
        check_estate(principal, estate_id)
        if day is None:
            day = duty_date_at(self.clock(), await estate_zone(conn, estate_id))
        return await duty_log.day_entries(conn, principal.group_id, estate_id, service_center, day)
