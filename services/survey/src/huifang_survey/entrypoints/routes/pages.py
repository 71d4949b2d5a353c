"""The resident's page: a public link per household (no login), phone-sized, Chinese first, one answer.

A used, expired or unknown link gets a page saying so (410/404), never an error trace; a form that
misses a required item comes back with the answers kept and the item named (422).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from huifang_infra.auth import CurrentPrincipal
from huifang_infra.db import transaction
from huifang_infra.page_security import new_nonce, secured

from huifang_survey.domain.ballots import QUESTIONNAIRE, USABLE
from huifang_survey.domain.errors import Conflict, InputInvalid, RatingOffScale
from huifang_survey.entrypoints.deps import SurveyDep
from huifang_survey.entrypoints.page_text import dimension_label, levels, texts
from huifang_survey.service_layer.ballots import BallotView, answer_ballot, issue_callback_ballot, read_ballot

router = APIRouter(tags=["住户问卷页 resident pages"])
templates = Jinja2Templates(directory=str(Path(__file__).resolve().parents[1] / "templates"))

STATUS = {"used": 410, "expired": 410, "closed": 410, "unknown": 404, "thanks": 200}


@router.post("/callbacks/{callback_id}/ballots", status_code=201)
async def issue_link(callback_id: str, principal: CurrentPrincipal, survey: SurveyDep) -> dict[str, Any]:
    """A link the household answers the callback survey on, instead of a phone call (method online)."""
    s = survey.settings
    async with transaction(survey.runtime.pool) as conn:
        return await issue_callback_ballot(
            conn, survey.repos, principal, callback_id, survey.clock(), timedelta(days=s.ballot_ttl_days),
            survey.new_token, s.public_base_url,
        )  # fmt: skip


@router.get("/s/{token}", response_class=HTMLResponse, include_in_schema=False)
async def show(request: Request, token: str, survey: SurveyDep, lang: str = "zh") -> HTMLResponse:
    async with survey.runtime.pool.acquire() as conn:
        view = await read_ballot(conn, token, survey.clock())
    if view.state != USABLE:
        return notice(request, view.state, lang)
    return form(request, view, lang, {}, [])


@router.post("/s/{token}", response_class=HTMLResponse, include_in_schema=False)
async def submit(request: Request, token: str, survey: SurveyDep, lang: str = "zh") -> HTMLResponse:
    answers = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    now = survey.clock()
    try:
        async with transaction(survey.runtime.pool) as conn:
            view = await read_ballot(conn, token, now, lock=True)  # one answer per token, even when sent twice
            if view.state != USABLE:
                return notice(request, view.state, lang)
            await answer_ballot(conn, survey.repos, view, answers, now)
    except (RatingOffScale, InputInvalid) as refused:
        return form(request, view, lang, answers, [_explain(refused, lang)], status=422)
    except Conflict:
        return notice(request, "closed", lang)
    return notice(request, "thanks", lang)


def form(
    request: Request, view: BallotView, lang: str, answers: dict[str, str], errors: list[str], status: int = 200
) -> HTMLResponse:
    t = texts(lang)
    dims = [
        {
            "name": d,
            "label": dimension_label(d, lang),
            "required": d == "overall",
            "chosen": answers.get(f"r_{d}"),
        }
        for d in view.dimensions
    ]
    context = {
        "t": t,
        "lang": "en" if lang == "en" else "zh",
        "other_lang": "zh" if lang == "en" else "en",
        "title": view.title if view.kind == QUESTIONNAIRE else ("服务回访" if lang != "en" else "Service follow-up"),
        "estate_name": view.estate_name,
        "kind": view.kind,
        "dimensions": dims,
        "levels": levels(view.scale, lang),
        "errors": errors,
    }
    return _page(request, "form.html", context, status)


def notice(request: Request, state: str, lang: str) -> HTMLResponse:
    t = texts(lang)
    context = {"t": t, "state": state, "title": t[f"{state}_title"], "message": t[state]}
    return _page(request, "notice.html", context, STATUS.get(state, 410))


def _page(request: Request, template: str, context: dict[str, Any], status: int) -> HTMLResponse:
    """Every resident page: its inline style allowed by a nonce, never framed, cached or referred on
    (the link's token is in the address)."""
    nonce = new_nonce()
    page = templates.TemplateResponse(request, template, context | {"csp_nonce": nonce}, status_code=status)
    return secured(page, nonce)


def _explain(refused: RatingOffScale | InputInvalid, lang: str) -> str:
    name = refused.field.split(".", 1)[-1]
    try:
        label = dimension_label(name, lang)
    except ValueError:
        label = name
    if lang == "en":
        return f"{label}: please choose one of the ratings"
    return f"{label}：请选择一项评价"
