"""The KPIs as plain functions over counts: every answer carries its numerator and denominator.

The projections only count; the formulas live here once, so the API, the summaries, the corrective
actions and the dashboard can never disagree on a rate.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields
from operator import attrgetter

from huifang_contracts.enums import Metric


@dataclass(frozen=True, slots=True)
class Ratio:
    """numerator / denominator × 100 %; `percent` is None when nothing was counted (no 0 % by default)."""

    numerator: int
    denominator: int

    @property
    def percent(self) -> float | None:
        if self.denominator == 0:
            return None
        return round(100.0 * self.numerator / self.denominator, 2)

    def as_dict(self) -> dict[str, int | float | None]:
        n, d = self.numerator, self.denominator  # the overview builds seven thousand of these
        return {"numerator": n, "denominator": d, "percent": round(100.0 * n / d, 2) if d else None}


@dataclass(frozen=True, slots=True)
class Counts:
    """What the monthly roll-up counts for one scope (an estate-month, or a sum of them)."""

    callbacks_required: int = 0
    callbacks_required_done: int = 0
    callbacks_completed: int = 0
    callbacks_satisfied: int = 0
    callbacks_on_time: int = 0
    callbacks_failed: int = 0
    callbacks_overdue: int = 0
    complaint_callbacks: int = 0
    complaint_callbacks_satisfied: int = 0
    questionnaires_returned: int = 0
    overall_satisfied: int = 0
    campaign_issued: int = 0
    campaign_returned: int = 0
    complaints_received: int = 0
    complaints_general: int = 0
    complaints_important: int = 0
    complaints_major: int = 0
    complaints_valid: int = 0
    complaints_coordination: int = 0
    complaints_invalid: int = 0

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    @classmethod
    def total(cls, many: Iterable[Counts]) -> Counts:
        """The sum of many scopes, column by column (the group roll-up over a thousand estates)."""
        values = attrgetter(*cls.names())
        columns = list(zip(*(values(c) for c in many), strict=True))
        return cls(*map(sum, columns)) if columns else cls()

    @classmethod
    def from_row(cls, row: object) -> Counts:
        """From a mapping-like row (Record, dict); a counter it lacks is 0 (drill-downs count callbacks only)."""
        return cls(**{name: int(row.get(name) or 0) for name in cls.names()})  # type: ignore[attr-defined]

    def __add__(self, other: Counts) -> Counts:
        return Counts(**{n: getattr(self, n) + getattr(other, n) for n in self.names()})

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def rates(c: Counts) -> dict[Metric, Ratio]:
    """The rates of DOMAIN.md for one scope, by metric."""
    return {
        # R-SV-4: overall satisfaction = satisfied + fairly satisfied on the overall item / returned.
        Metric.OVERALL_SATISFACTION: Ratio(c.overall_satisfied, c.questionnaires_returned),
        # R-RP-1: callback satisfaction = satisfied-or-fair / callbacks made (completed).
        Metric.CALLBACK_SATISFACTION: Ratio(c.callbacks_satisfied, c.callbacks_completed),
        # R-RP-1: complaint-handling satisfaction, the same over complaint callbacks.
        Metric.COMPLAINT_SATISFACTION: Ratio(c.complaint_callbacks_satisfied, c.complaint_callbacks),
        # R-RP-2: timeliness = completed within the window / completed.
        Metric.TIMELINESS: Ratio(c.callbacks_on_time, c.callbacks_completed),
        # R-RP-2, R-CB-11: success = reached / attempted; a callback is attempted once it has an
        # outcome (completed = reached, failed = attempts used up or refused).
        Metric.SUCCESS_RATE: Ratio(c.callbacks_completed, c.callbacks_completed + c.callbacks_failed),
        # R-RP-2: coverage = required callbacks completed / callbacks required by policy (scheduled).
        Metric.COVERAGE: Ratio(c.callbacks_required_done, c.callbacks_required),
        # R-SV-4: return rate = returned / issued.
        Metric.RETURN_RATE: Ratio(c.campaign_returned, c.campaign_issued),
    }


_VALUES = {metric: metric.value for metric in Metric}


def complaint_counts(c: Counts) -> dict[str, dict[str, int]]:
    """Complaints received, by grade and by validity (validity as judged at resolution)."""
    return {
        "grade": {"general": c.complaints_general, "important": c.complaints_important, "major": c.complaints_major},
        "validity": {
            "valid": c.complaints_valid,
            "coordination": c.complaints_coordination,
            "invalid": c.complaints_invalid,
            "undetermined": c.complaints_received
            - c.complaints_valid
            - c.complaints_coordination
            - c.complaints_invalid,
        },
    }


def kpi_answer(c: Counts, found: Mapping[Metric, Ratio] | None = None) -> dict[str, object]:
    """One scope's KPIs as the API states them: each rate with numerator and denominator, plus counts.

    `found`: the scope's `rates(c)` when the caller has them already (the overview ranks and flags them).
    """
    found = rates(c) if found is None else found
    return {
        "rates": {_VALUES[metric]: ratio.as_dict() for metric, ratio in found.items()},
        "counts": {
            "callbacks_required": c.callbacks_required,
            "callbacks_completed": c.callbacks_completed,
            "callbacks_failed": c.callbacks_failed,
            "callbacks_overdue": c.callbacks_overdue,
            "questionnaires_returned": c.questionnaires_returned,
            "complaints_received": c.complaints_received,
        },
        "complaints": complaint_counts(c),
    }
