"""What the monthly roll-up counts, per fact: the counting rules, stated once.

Each counted fact (a callback, a complaint, a returned questionnaire, a campaign) adds to the `Counts`
of the estate-month it is in (`domain/months.py` says which). The drill-down counts with these
functions directly. The roll-up kept at commit must count inside the database (the deferred recount of
migration 0003, `reporting_recount`), so SQL holds the same rules there: the table of cases in
tests/reporting/integration/test_rules_agree.py runs through these functions and through that SQL on a
real database and must give the same counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from huifang_reporting.domain.kpis import Counts

COMPLAINT_KIND = "complaint"
GRADES = ("general", "important", "major")
VALIDITIES = ("valid", "coordination", "invalid")


@dataclass(frozen=True, slots=True)
class CallbackFact:
    """One callback as the roll-up sees it: which of its facts have arrived (None: not reported)."""

    kind: str | None = None
    due: bool = False  # CallbackScheduled: required by policy, owed in a month
    completed: bool = False
    satisfied_or_fair: bool | None = None
    late: bool | None = None
    failed: bool = False
    overdue: bool = False


def callback_counts(facts: Iterable[CallbackFact]) -> Counts:
    """R-RP-1, R-RP-2: the callback counters of these callbacks."""
    required = required_done = completed = satisfied = on_time = failed = overdue = complaint = complaint_ok = 0
    for f in facts:
        if f.due:
            required += 1
            required_done += f.completed
        if f.completed:
            completed += 1
            satisfied += f.satisfied_or_fair is True
            on_time += f.late is False  # a completion whose lateness is unknown is not on time
            if f.kind == COMPLAINT_KIND:
                complaint += 1
                complaint_ok += f.satisfied_or_fair is True
        elif f.failed:
            failed += 1  # a completion wins over an earlier failure (a reopened callback reached)
        overdue += f.overdue  # overdue once is overdue, whatever followed
    return Counts(
        callbacks_required=required,
        callbacks_required_done=required_done,
        callbacks_completed=completed,
        callbacks_satisfied=satisfied,
        callbacks_on_time=on_time,
        callbacks_failed=failed,
        callbacks_overdue=overdue,
        complaint_callbacks=complaint,
        complaint_callbacks_satisfied=complaint_ok,
    )


@dataclass(frozen=True, slots=True)
class ComplaintFact:
    grade: str | None = None
    validity: str | None = None  # judged at resolution; None until then


def complaint_counts(facts: Iterable[ComplaintFact]) -> Counts:
    """Complaints received, by grade and by validity."""
    found = list(facts)
    by_grade = {g: sum(f.grade == g for f in found) for g in GRADES}
    by_validity = {v: sum(f.validity == v for f in found) for v in VALIDITIES}
    return Counts(
        complaints_received=len(found),
        complaints_general=by_grade["general"],
        complaints_important=by_grade["important"],
        complaints_major=by_grade["major"],
        complaints_valid=by_validity["valid"],
        complaints_coordination=by_validity["coordination"],
        complaints_invalid=by_validity["invalid"],
    )


def questionnaire_counts(overall_ok: Iterable[bool | None]) -> Counts:
    """R-SV-4: questionnaires returned, and those rating overall satisfied or fairly satisfied (None: the
    overall item unanswered, which counts as returned but not satisfied)."""
    flags = list(overall_ok)
    return Counts(questionnaires_returned=len(flags), overall_satisfied=sum(f is True for f in flags))


@dataclass(frozen=True, slots=True)
class CampaignFact:
    issued: int
    closed: bool
    returned_at_close: int  # SurveyCampaignClosed's count (0 while open)
    questionnaires_seen: int  # QuestionnaireReturned events of the campaign received so far


def campaign_counts(facts: Iterable[CampaignFact]) -> Counts:
    """R-SV-4: issued, and returned — the campaign's own final count once closed, the returns seen until then."""
    issued = returned = 0
    for f in facts:
        issued += f.issued
        returned += f.returned_at_close if f.closed else f.questionnaires_seen
    return Counts(campaign_issued=issued, campaign_returned=returned)
