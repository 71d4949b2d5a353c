"""A hand-computed month of one group, as contract events; the expected figures are worked out below.

Estate E1 (Asia/Shanghai), February 2026:
  callbacks owed (due) in February: cb1 (due 2026-01-31 17:00 UTC = 1 Feb 01:00 local), cb2, cb3, cb4
    cb1 complaint, engineering, S1: four-level very_satisfied, on time   → satisfied-or-fair
    cb2 complaint, engineering, S1: four-level dissatisfied, late, overdue → not
    cb3 repair, cleaning, S2: three-level fairly_satisfied, on time       → satisfied-or-fair
    cb4 repair, cleaning: failed (attempts exhausted) after 2 attempts
  → required 4, completed 3, satisfied 2, on time 2, failed 1, overdue 1
    callback satisfaction 2/3 = 66.67 %, timeliness 2/3 = 66.67 %, success 3/4 = 75 %, coverage 3/4 = 75 %
    complaint satisfaction 1/2 = 50 %
  cb5 due 2026-01-20, completed late on 2026-02-15, satisfied → counts in January: 1/1 = 100 %
  campaign C1 (opens 2026-02-05, issued 4, closed with 3 returned):
    Q1 overall satisfied / cleaning dissatisfied; Q2 fairly / satisfied; Q3 dissatisfied / fairly
  → overall satisfaction 2/3 = 66.67 % (< 95 %: a corrective action), cleaning 2/3, return rate 3/4 = 75 %
  complaints: K1 general, valid, plumbing; K2 important, coordination, HVAC
Estate E2 (Asia/Shanghai): one callback due in February, completed satisfied → 1/1.
Estate E3 (never registered at first → Asia/Shanghai): cb9 due 2026-02-28 16:30 UTC = 1 Mar 00:30 local
  → March; once E3 registers Europe/London it is 28 Feb 16:30 local → February.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from huifang_contracts import callback, dispatch, intake, survey
from huifang_contracts.envelope import Envelope

G = "G1"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def wrap(event: Any, estate: str, aggregate: str, when: datetime) -> Envelope:
    return Envelope.wrap(event, group_id=G, estate_id=estate, aggregate_id=aggregate, producer="test", occurred_at=when)


def estate(estate_id: str, timezone: str = "Asia/Shanghai", *, updated: bool = False) -> Envelope:
    cls = intake.EstateUpdated if updated else intake.EstateRegistered
    event = cls(name=f"{estate_id}花园", estate_type="residential", preset="tianxiacheng", timezone=timezone)
    return wrap(event, estate_id, estate_id, at("2026-01-01T00:00:00"))


def scheduled(estate_id: str, cb: str, due: datetime, kind: str, department: str) -> Envelope:
    event = callback.CallbackScheduled(
        callback_id=cb,
        source_type="intake.OrderClosed",
        source_id=f"src-{cb}",
        kind=kind,
        window_start=due,
        due_at=due,
        deadline=due + timedelta(days=3),
        method="phone",
        caller_role="service_center_staff",
        max_attempts=3,
        retry_spacing_minutes=60,
        rule_id="r1",
        policy_id="p1",
        policy_version=1,
        department=department,
        category="水电" if kind == "repair" else "噪音",
    )
    return wrap(event, estate_id, cb, due - timedelta(days=1))


def completed(
    estate_id: str, cb: str, when: datetime, scale: str, overall: str, *, late: bool, caller: str
) -> Envelope:
    ok = overall != "dissatisfied"
    event = survey.CallbackCompleted(
        callback_id=cb,
        caller_id=caller,
        method="phone",
        completed_at=when,
        ratings={"scale": scale, "overall": overall},
        satisfied_or_fair=ok,
        late=late,
        attempts_used=1,
        comments=None if ok else "维修不及时",
    )
    return wrap(event, estate_id, cb, when)


def events() -> list[Envelope]:
    feb10 = at("2026-02-10T02:00:00")
    out = [estate("E1"), estate("E2")]
    out += [
        wrap(
            dispatch.StaffRegistered(staff_id="S1", name="张三", role="service_center_staff", department="engineering"),
            "E1",
            "S1",
            feb10,
        ),
        wrap(
            dispatch.StaffRegistered(staff_id="S2", name="李四", role="site_captain", department="cleaning"),
            "E1",
            "S2",
            feb10,
        ),
    ]
    out += [
        scheduled("E1", "cb1", at("2026-01-31T17:00:00"), "complaint", "engineering"),
        scheduled("E1", "cb2", feb10, "complaint", "engineering"),
        scheduled("E1", "cb3", feb10, "repair", "cleaning"),
        scheduled("E1", "cb4", feb10, "repair", "cleaning"),
        scheduled("E1", "cb5", at("2026-01-20T02:00:00"), "repair", "cleaning"),
        scheduled("E2", "cb6", feb10, "repair", "cleaning"),
        scheduled("E3", "cb9", at("2026-02-28T16:30:00"), "repair", "cleaning"),
    ]
    out += [
        completed("E1", "cb1", at("2026-02-01T03:00:00"), "four_level", "very_satisfied", late=False, caller="S1"),
        completed("E1", "cb2", at("2026-02-14T03:00:00"), "four_level", "dissatisfied", late=True, caller="S1"),
        completed("E1", "cb3", at("2026-02-11T03:00:00"), "three_level", "fairly_satisfied", late=False, caller="S2"),
        completed("E1", "cb5", at("2026-02-15T03:00:00"), "four_level", "satisfied", late=True, caller="S2"),
        completed("E2", "cb6", at("2026-02-11T03:00:00"), "four_level", "satisfied", late=False, caller="X1"),
    ]
    for n in (1, 2):
        attempt = survey.CallbackAttempted(
            callback_id="cb4",
            attempt_no=n,
            result="no_answer",
            method="phone",
            caller_id="S2",
            attempted_at=feb10 + timedelta(hours=n),
        )
        out.append(wrap(attempt, "E1", "cb4", feb10 + timedelta(hours=n)))
    failed = survey.CallbackFailed(
        callback_id="cb4", attempts_used=2, last_result="no_answer", reason="attempts_exhausted"
    )
    out.append(wrap(failed, "E1", "cb4", at("2026-02-12T00:00:00")))
    overdue = callback.CallbackOverdue(callback_id="cb2", deadline=feb10 + timedelta(days=3), attempts_made=1)
    out.append(wrap(overdue, "E1", "cb2", feb10 + timedelta(days=3)))
    out += _campaign() + _complaints()
    return out


def _campaign() -> list[Envelope]:
    opens = at("2026-02-05T00:00:00")
    opened = survey.SurveyCampaignOpened(
        campaign_id="C1",
        title="2026年上半年意见征询",
        kind="full",
        method="written",
        dimensions=["overall", "cleaning"],
        issued_count=4,
        opens_at=opens,
    )
    out = [wrap(opened, "E1", "C1", opens)]
    answers = [("satisfied", "dissatisfied"), ("fairly_satisfied", "satisfied"), ("dissatisfied", "fairly_satisfied")]
    for i, (overall, cleaning) in enumerate(answers, start=1):
        q = survey.QuestionnaireReturned(
            campaign_id="C1",
            questionnaire_id=f"Q{i}",
            answers=[{"dimension": "overall", "rating": overall}, {"dimension": "cleaning", "rating": cleaning}],
        )
        out.append(wrap(q, "E1", "C1", opens + timedelta(days=i)))
    closed = survey.SurveyCampaignClosed(campaign_id="C1", issued_count=4, returned_count=3)
    out.append(wrap(closed, "E1", "C1", opens + timedelta(days=10)))
    return out


def _complaints() -> list[Envelope]:
    out = []
    for cid, grade, validity, category in (
        ("K1", "general", "valid", "水暖"),
        ("K2", "important", "coordination", "空调"),
    ):
        received = at("2026-02-03T01:00:00")
        reg = intake.ComplaintRegistered(
            complaint_id=cid,
            channel="hotline",
            grade=grade,
            category=category,
            description="漏水",
            received_at=received,
        )
        res = intake.ComplaintResolved(
            complaint_id=cid,
            grade=grade,
            validity=validity,
            category=category,
            department="engineering",
            resolved_at=received + timedelta(days=2),
            accepted_by_requester=True,
        )
        out += [wrap(reg, "E1", cid, received), wrap(res, "E1", cid, received + timedelta(days=2))]
    return out
