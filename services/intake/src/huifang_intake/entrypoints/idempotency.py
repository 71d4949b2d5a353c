"""`Idempotency-Key`: a command retried with the same key and body gets the first response again.

The key, a hash of the request and the response are stored in the command's own transaction, so a
response is remembered exactly when its effects committed. Another body under a used key is a 409.

The common case (a new key) costs one extra statement: the command runs first and its key is inserted
last. When that insert finds the key taken, or when the command fails (a retried close meets a closed
order), the transaction is rolled back and the stored key decides: replay, or 409. Two concurrent
requests with one key: the second's insert waits for the first's commit, then replays its response.
What counts as the same request is `huifang_infra.idempotency.request_hash`, as in every service.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import asyncpg
from fastapi import Request
from fastapi.responses import JSONResponse
from huifang_infra.auth import Principal
from huifang_infra.db import Connection, transaction
from huifang_infra.idempotency import request_hash
from huifang_infra.problems import problem
from pydantic import BaseModel

from huifang_intake.adapters.records import KeyRow, KeyTaken
from huifang_intake.domain.changes import Change, Record
from huifang_intake.domain.errors import Conflict
from huifang_intake.entrypoints.deps import intake_of, pool_of
from huifang_intake.entrypoints.views import created

R = TypeVar("R", bound=Record)

Work = Callable[[Connection], Awaitable[tuple[int, dict[str, Any]]]]


class _KeyTaken(Exception):
    """Rolls the command back: the key already answered (or another body holds it)."""


async def run_command(
    request: Request, principal: Principal, key: str | None, body: BaseModel | None, work: Work
) -> JSONResponse:
    """Run `work` in one transaction; with a key, remember its response or replay/refuse the stored one."""
    if not key:
        async with transaction(pool_of(request)) as conn:
            status, payload = await work(conn)
        return JSONResponse(payload, status_code=status)
    digest = request_hash(request, body)
    try:
        async with transaction(pool_of(request)) as conn:
            status, payload = await work(conn)
            inserted = await conn.fetchval(
                """INSERT INTO idempotency_keys (group_id, subject, key, request_hash, status_code, response)
                   VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING true""",
                principal.group_id, principal.sub, key, digest, status, payload,
            )  # fmt: skip
            if not inserted:
                raise _KeyTaken()
        return JSONResponse(payload, status_code=status)
    except _KeyTaken:
        pass  # rolled back: the stored answer decides
    except Exception:
        if (stored := await _stored(request, principal, key)) is None:
            raise  # a new key and a refused command: the refusal is the answer, nothing is kept
        return _answer(stored, digest)
    stored = await _stored(request, principal, key)
    if stored is None:
        raise Conflict("Idempotency-Key could not be recorded; retry")
    return _answer(stored, digest)


async def _stored(request: Request, principal: Principal, key: str) -> asyncpg.Record | None:
    async with pool_of(request).acquire() as conn:
        row: asyncpg.Record | None = await conn.fetchrow(
            """SELECT request_hash, status_code, response FROM idempotency_keys
               WHERE group_id = $1 AND subject = $2 AND key = $3""",
            principal.group_id,
            principal.sub,
            key,
        )
    return row


def _answer(stored: asyncpg.Record, digest: str) -> JSONResponse:
    if stored["request_hash"] != digest:
        return problem(409, "冲突 Conflict", detail="Idempotency-Key already used with another request")
    return JSONResponse(stored["response"], status_code=stored["status_code"], headers={"Idempotent-Replayed": "true"})


async def run_creation(
    request: Request,
    principal: Principal,
    key: str | None,
    body: BaseModel,
    record_type: str,
    build: Callable[[Connection], Awaitable[R]],
    decide: Callable[[R], tuple[R, Change]],
) -> JSONResponse:
    """A new record in one statement, without BEGIN/COMMIT: record, history, outbox row and key commit
    together or not at all (the hot path of the front desk and of ERP pushes). The statement is the
    group commit's: it writes the new records of every request that arrived meanwhile."""
    intake = intake_of(request)
    digest = request_hash(request, body) if key else ""
    answer: dict[str, Any] = {}

    def key_for(new: R) -> KeyRow:
        answer.update(created(record_type, new))
        return (principal.group_id, principal.sub, key or "", digest, 201, answer)

    try:
        if intake.new_records is not None:
            async with pool_of(request).acquire() as conn:
                record = await build(conn)
                new, write = await intake.prepare_creation(
                    conn, record_type, record, decide, key_for=key_for if key else None
                )
            await intake.new_records.submit(write)  # with the other requests' new records of the moment
        else:
            async with pool_of(request).acquire() as conn, conn.transaction():
                record = await build(conn)
                new = await intake.create(conn, record_type, record, decide, key_for=key_for if key else None)
    except KeyTaken:
        if (stored := await _stored(request, principal, key or "")) is None:
            raise Conflict("Idempotency-Key could not be recorded; retry") from None
        return _answer(stored, digest)
    except Exception:
        if key and (stored := await _stored(request, principal, key)) is not None:
            return _answer(stored, digest)
        raise
    return JSONResponse(answer or created(record_type, new), status_code=201)


async def run_change(
    request: Request,
    principal: Principal,
    key: str | None,
    body: BaseModel,
    record_type: str,
    record_id: str,
    decide: Callable[[Any], tuple[Any, Change] | None],
) -> JSONResponse:
    """A command on an existing record of the caller's estates (others read as absent), answered 200 with
    the record; the same Idempotency-Key twice gives the first answer."""

    async def work(conn: Connection) -> tuple[int, dict[str, Any]]:
        estates = principal.scope_filter().estate_ids
        changed = await intake_of(request).change(
            conn, principal.group_id, record_type, record_id, decide, estate_ids=estates
        )
        return 200, created(record_type, changed)

    return await run_command(request, principal, key, body, work)
