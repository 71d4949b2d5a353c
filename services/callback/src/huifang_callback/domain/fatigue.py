"""Issue 6 §7: contact fatigue — a household is not sampled more than N times in D days.

Mandatory callbacks (complaints, urgent repairs) are exempt and never counted as sampling; only the
households over the limit leave the population, so the rest of the draw is unaffected.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from huifang_callback.domain.policy import Fatigue


def tired_units(recent_contacts: Mapping[str, int], fatigue: Fatigue | None) -> set[str]:
    """Units already contacted `max_contacts` times (non-mandatory) within the last `days` days."""
    if fatigue is None:
        return set()
    return {unit for unit, count in recent_contacts.items() if count >= fatigue.max_contacts}


def without_tired(candidates: Sequence[tuple[str, str | None]], tired: set[str]) -> list[str]:
    """Source ids whose unit is not tired; common-area orders (no unit) always stay."""
    return [source_id for source_id, unit in candidates if unit is None or unit not in tired]
