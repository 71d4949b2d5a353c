"""Per-household links: issue one for a callback survey, read it for the page, take its one answer.

Each link is the stream `ballot-<token digest>` (`domain/issued_ballot.py`); the `ballots` row is its
projection, locked by the page that answers so two submissions of one form run one after the other.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from huifang_contracts.enums import AttemptResult, CallbackMethod, Relation, SatisfactionScale
from huifang_infra.auth import Principal
from huifang_infra.db import Connection
from huifang_infra.repository import Cause

from huifang_survey.domain import issued_ballot as ib
from huifang_survey.domain.ballots import CALLBACK, QUESTIONNAIRE, USABLE, Ballot, token_digest
from huifang_survey.domain.callback import OPEN, Contact, NewIssue
from huifang_survey.domain.campaign import OPEN as CAMPAIGN_OPEN
from huifang_survey.domain.errors import NotAssigned
from huifang_survey.domain.ratings import CALLBACK_DIMENSIONS
from huifang_survey.service_layer.campaigns import return_questionnaire
from huifang_survey.service_layer.contacts import load_task, record_contact
from huifang_survey.service_layer.repositories import Repositories


@dataclass
class BallotView:
    """What the page needs: the state of the link and the questions to ask."""

    state: str
    kind: str = QUESTIONNAIRE
    title: str = ""
    estate_name: str = ""
    scale: SatisfactionScale = SatisfactionScale.THREE_LEVEL
    dimensions: list[str] = field(default_factory=list)
    row: Any = None
    subject_open: bool = False


async def issue_callback_ballot(
    conn: Connection, repos: Repositories, principal: Principal, callback_id: str, now: datetime, ttl: timedelta,
    new_token: Callable[[], str], base_url: str,
) -> dict[str, Any]:  # fmt: skip
    """The caller sends the household a link instead of phoning; only the callback's holder may."""
    terms, row = await load_task(conn, callback_id, principal)
    if terms.assignee_id != principal.sub:
        raise NotAssigned(f"callback {callback_id} is not assigned to {principal.sub}")
    token = new_token()
    digest, expires = token_digest(token), now + ttl
    command = ib.IssueBallot(digest, CALLBACK, now, expires, callback_id=callback_id, unit_id=row["unit_id"])
    cause = Cause(row["group_id"], row["estate_id"], actor=principal.sub)
    await repos.ballots.execute(conn, ib.stream_id(digest), command, cause)
    return {"callback_id": callback_id, "url": f"{base_url.rstrip('/')}/s/{token}", "expires_at": expires.isoformat()}


async def read_ballot(conn: Connection, token: str, now: datetime, *, lock: bool = False) -> BallotView:
    row = await conn.fetchrow(
        """SELECT b.*, e.name AS estate_name, e.callback_scale, cp.title, cp.dimensions, cp.status AS campaign_status,
                  cb.status AS callback_status, cb.scale AS callback_row_scale
           FROM ballots b
           LEFT JOIN estates e ON e.group_id = b.group_id AND e.estate_id = b.estate_id
           LEFT JOIN campaigns cp ON cp.campaign_id = b.campaign_id
           LEFT JOIN callbacks cb ON cb.callback_id = b.callback_id
           WHERE b.token_digest = $1"""
        + (" FOR UPDATE OF b" if lock else ""),
        token_digest(token),
    )
    if row is None:
        return BallotView(state="unknown")
    if row["kind"] == QUESTIONNAIRE:
        subject_open = row["campaign_status"] == CAMPAIGN_OPEN
        view = BallotView("", QUESTIONNAIRE, row["title"], row["estate_name"] or "", dimensions=list(row["dimensions"]))
    else:
        subject_open = row["callback_status"] == OPEN
        scale = SatisfactionScale(row["callback_row_scale"] or row["callback_scale"] or "four_level")
        view = BallotView("", CALLBACK, "服务回访", row["estate_name"] or "", scale, list(CALLBACK_DIMENSIONS))
    view.state = Ballot(row["kind"], row["expires_at"], row["used_at"], subject_open).state_at(now)
    view.row, view.subject_open = row, subject_open
    return view


async def answer_ballot(
    conn: Connection, repos: Repositories, view: BallotView, form: Mapping[str, str], now: datetime
) -> dict[str, Any]:
    """The one answer this link takes; the caller checked `view.state` under the row lock."""
    assert view.state == USABLE
    row = view.row
    # the ballot's own stream takes the one answer first (a second one is refused there too)
    used = ib.UseBallot(now, subject_open=view.subject_open)
    await repos.ballots.execute(conn, ib.stream_id(row["token_digest"]), used, Cause(row["group_id"], row["estate_id"]))
    ratings = {d: form[f"r_{d}"] for d in view.dimensions if form.get(f"r_{d}")}
    if view.kind == QUESTIONNAIRE:
        comments = {d: form[f"c_{d}"] for d in view.dimensions if form.get(f"c_{d}", "").strip()}
        result = await return_questionnaire(
            conn, repos, None, row["campaign_id"], unit_id=row["unit_id"], channel=CallbackMethod.ONLINE,
            answers=ratings, answer_comments=comments, comments=form.get("comments") or None, returned_at=now, now=now,
        )  # fmt: skip
    else:
        terms, _ = await load_task(conn, row["callback_id"], None)
        issue = (form.get("issue") or "").strip()
        contact = Contact(
            caller_id=terms.assignee_id or "",
            result=AttemptResult.REACHED,
            method=CallbackMethod.ONLINE,
            contacted_at=now,
            recorded_at=now,
            relation=Relation.SELF,
            ratings=ratings,
            comments=form.get("comments") or None,
            suggestions=form.get("suggestions") or None,
            new_issues=(NewIssue(issue),) if issue else (),
        )
        result = await record_contact(conn, repos.records, None, row["callback_id"], contact)
    return result
