"""The complaint (投诉): in progress ⇄ paused, → closed only when the requester accepts the result.

Grade (一般/重要/重大) and validity (有效/协调/无效) travel on every event: callback decides from them who
calls back (R-CB-3) and whether at all (R-CB-1). Reopening (R-CB-10) brings a closed complaint back in
progress for the next round.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from huifang_contracts.enums import Channel, ComplaintGrade, ComplaintStatus, ComplaintValidity
from pydantic import BaseModel, ConfigDict, Field, field_validator

from huifang_intake.domain.changes import Change, Record, as_utc
from huifang_intake.domain.errors import DomainError, TransitionRefused

MAX_FOLLOW_UPS = 5
"""DOMAIN.md core objects: a complaint keeps up to five follow-up records."""

ANSWER_WITHIN = timedelta(hours=24)
"""R-OP-1: a complaint not handled at once is answered within 24 hours (its first follow-up)."""


class FollowUp(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    note: str
    by: str | None = None
    at: datetime

    @field_validator("at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return as_utc(value)  # type: ignore[no-any-return]


class Complaint(Record):
    complaint_id: str
    status: ComplaintStatus = ComplaintStatus.IN_PROGRESS
    channel: Channel
    grade: ComplaintGrade
    validity: ComplaintValidity | None = None
    category: str
    subcategory: str | None = None
    description: str
    unit_id: str | None = None
    requester_name: str | None = None
    requester_phone: str | None = None
    department: str | None = None
    received_at: datetime
    origin_callback_id: str | None = None
    escalate_to_role: str | None = Field(default=None, description="R-CB-9: the supervisor it goes to.")
    follow_ups: tuple[FollowUp, ...] = ()
    round: int = 1
    result: str | None = None
    resolved_at: datetime | None = None
    special_event: bool = False

    def _require(self, action: str, *allowed: ComplaintStatus) -> None:
        if self.status not in allowed:
            raise TransitionRefused("complaint", self.status.value, action, tuple(s.value for s in allowed))

    def judge(
        self, validity: ComplaintValidity, grade: ComplaintGrade | None, at: datetime
    ) -> tuple[Complaint, Change]:
        """Validity is often judged after registration (R-CB-1 depends on it)."""
        self._require("judge", ComplaintStatus.IN_PROGRESS, ComplaintStatus.PAUSED)
        new = self.evolve(**{"validity": validity, "grade": grade or self.grade})
        return new, Change(name="judged", at=at, data={"validity": validity.value, "grade": new.grade.value})

    def add_follow_up(self, note: str, by: str | None, at: datetime) -> tuple[Complaint, Change]:
        self._require("add a follow-up", ComplaintStatus.IN_PROGRESS, ComplaintStatus.PAUSED)
        if len(self.follow_ups) >= MAX_FOLLOW_UPS:
            raise DomainError("follow_ups", f"a complaint keeps at most {MAX_FOLLOW_UPS} follow-up records")
        self.require_order(at=at, after=self.received_at, field="at", after_field="received_at")
        new = self.evolve(**{"follow_ups": (*self.follow_ups, FollowUp(note=note, by=by, at=at))})
        data: dict[str, object] = {"note": note, "by": by, "number": len(new.follow_ups)}
        if not self.follow_ups:
            data["late"] = at - self.received_at > ANSWER_WITHIN  # R-OP-1
        return new, Change(name="followed_up", at=at, data=data)

    def pause(self, reason: str | None, at: datetime) -> tuple[Complaint, Change]:
        self._require("pause", ComplaintStatus.IN_PROGRESS)
        return self.evolve(**{"status": ComplaintStatus.PAUSED}), Change(name="paused", at=at, data={"reason": reason})

    def resume(self, at: datetime) -> tuple[Complaint, Change]:
        self._require("resume", ComplaintStatus.PAUSED)
        return self.evolve(**{"status": ComplaintStatus.IN_PROGRESS}), Change(name="resumed", at=at)

    def resolve(
        self,
        *,
        result: str | None,
        validity: ComplaintValidity | None,
        department: str | None,
        accepted_by_requester: bool,
        special_event: bool,
        at: datetime,
    ) -> tuple[Complaint, Change]:
        """R-CB-10: a complaint closes only when the requester accepts the result of its handling."""
        self._require("resolve", ComplaintStatus.IN_PROGRESS)
        self.require_order(at=at, after=self.received_at, field="resolved_at", after_field="received_at")
        validity = validity or self.validity
        if validity is None:
            raise DomainError("validity", "judge the complaint valid, coordination or invalid before resolving it")
        department = department or self.department
        if department is None:
            raise DomainError("department", "the department that handled it is required to resolve")
        if not accepted_by_requester:
            raise DomainError(
                "accepted_by_requester", "the requester has not accepted the result; record a follow-up instead"
            )
        new = self.model_copy(
            update={
                "status": ComplaintStatus.CLOSED,
                "validity": validity,
                "department": department,
                "result": result,
                "resolved_at": at,
                "special_event": special_event or self.special_event,
            }
        )
        data = {"result": result, "validity": validity.value, "department": department, "round": self.round}
        return new, Change(name="resolved", at=at, data=data)

    def reopen(self, round_: int, reason: str | None, at: datetime) -> tuple[Complaint, Change] | None:
        """R-CB-10: back in progress for `round_`; None when that round already started (a replay)."""
        if round_ <= self.round:
            return None
        self._require("reopen", ComplaintStatus.CLOSED)
        if round_ != self.round + 1:
            raise DomainError("round", f"round {round_} does not follow round {self.round}")
        new = self.evolve(**{"status": ComplaintStatus.IN_PROGRESS, "round": round_, "resolved_at": None})
        return new, Change(name="reopened", at=at, data={"round": round_, "reason": reason})


def register_complaint(complaint: Complaint) -> tuple[Complaint, Change]:
    """A new complaint, in progress; R-CB-9: one raised during a callback carries channel `callback`."""
    if complaint.channel is Channel.CALLBACK and not complaint.origin_callback_id:
        raise DomainError("origin_callback_id", "a complaint raised during a callback names that callback")
    data = {"channel": complaint.channel.value, "grade": complaint.grade.value}
    return complaint.evolve(**{"status": ComplaintStatus.IN_PROGRESS}), Change(
        name="registered", at=complaint.received_at, data=data
    )
