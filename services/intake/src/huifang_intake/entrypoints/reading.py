"""The two reads every record type offers: a filtered page, and one record with its full history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from huifang_infra.auth import Principal
from pydantic import AwareDatetime

from huifang_intake.adapters.queries import RecordFilter, list_records
from huifang_intake.domain.errors import NotFound
from huifang_intake.entrypoints.deps import intake_of, pool_of, scope_estates
from huifang_intake.entrypoints.views import detail, summary

MAX_PAGE_SIZE = 200
#: Pages beyond this are refused by name (422): the row offset must fit PostgreSQL's bigint.
MAX_PAGE = 1_000_000


@dataclass
class PageQuery:
    """What every list takes besides its own filters: the estate, when opened (`from`/`to`), the page."""

    estate_id: str | None = None
    date_from: Annotated[AwareDatetime | None, Query(alias="from")] = None
    date_to: Annotated[AwareDatetime | None, Query(alias="to")] = None
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50


Paging = Annotated[PageQuery, Depends()]


async def read_page(
    request: Request, principal: Principal, record_type: str, paging: PageQuery, **filters: str | None
) -> dict[str, Any]:
    """One page of the caller's records of this type; `filters` are `RecordFilter`'s own fields."""
    estates = scope_estates(principal, paging.estate_id)
    where = RecordFilter(opened_from=paging.date_from, opened_to=paging.date_to, **filters)
    page, size = paging.page, paging.page_size
    async with pool_of(request).acquire() as conn:
        rows, total = await list_records(conn, principal.group_id, estates, record_type, where, page, size)
    return {"items": [summary(r) for r in rows], "total": total, "page": page, "page_size": size}


async def read_one(request: Request, principal: Principal, record_type: str, record_id: str) -> dict[str, Any]:
    intake = intake_of(request)
    async with pool_of(request).acquire() as conn:
        found = await intake.records.get(conn, principal.group_id, record_type, record_id)
        # Outside the caller's estates reads as absent: the id's existence is not disclosed.
        if found is None or not principal.can_see(principal.group_id, found[0].estate_id):
            raise NotFound(record_type, record_id)
        record, version = found
        estate = await intake.registry.estate(conn, record.group_id, record.estate_id, fresh=True)
        history = await intake.records.history(conn, principal.group_id, record_type, record_id)
    timezone = estate.timezone if estate else "Asia/Shanghai"
    return detail(record_type, record, version, timezone, history)
