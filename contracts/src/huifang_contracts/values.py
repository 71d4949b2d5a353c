"""Value types shared by the envelope and every payload, so each rule is written once."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, Field, StringConstraints


def _as_utc(value: datetime) -> datetime:
    # Store UTC, show estate-local: an aware value in another zone is the same instant, normalised.
    return value.astimezone(UTC)


UtcDatetime = Annotated[AwareDatetime, AfterValidator(_as_utc)]
"""A timezone-aware instant, normalised to UTC; naive datetimes are rejected."""

Identifier = Annotated[str, StringConstraints(min_length=1, max_length=128, strip_whitespace=True)]
"""An id assigned by the owning service or the ERP (opaque to everyone else)."""

Name = Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]

Text = Annotated[str, StringConstraints(max_length=4000)]
"""Free text written by people: comments, descriptions, notes."""

Phone = Annotated[str, StringConstraints(pattern=r"^\+?[0-9]{3,20}$")]
"""A normalised phone number: digits only, optional leading `+` (no spaces, dashes or masks)."""

YearMonth = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$")]
"""A calendar month, `YYYY-MM`, in the estate's local calendar."""

Round = Annotated[int, Field(ge=1)]
"""The round of the reopen loop (R-CB-10): 1 for the first resolution, +1 per reopening."""

Percent = Annotated[float, Field(ge=0, le=100)]
