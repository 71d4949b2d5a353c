"""Values HTTP requests carry that every service bounds alike, so that none reaches a computation
that cannot hold it: a month of year 0000 (Python's dates start at year 1) or of 9999-12 (its next
month, the end of its last duty day, is past the last date) was a 500, not a 422 naming the field."""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

#: `YYYY-MM` from 1900-01 to 2999-12: every month a property group's records can be in.
MONTH_PATTERN = r"^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])$"

Month = Annotated[str, StringConstraints(pattern=MONTH_PATTERN)]
"""A calendar month in a request body, `YYYY-MM`, in the estate's local calendar."""
