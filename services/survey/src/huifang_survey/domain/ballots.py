"""Per-household links (R-SV-1 online channel): one answer per token, and a clear word when it cannot be used.

The token itself is random and only its SHA-256 is stored, so a database read does not hand out
working links; the page a resident sees depends only on `ballot_state`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

USABLE, USED, EXPIRED, CLOSED = "usable", "used", "expired", "closed"

#: Ballots are for a questionnaire of a campaign or for a callback survey answered online.
QUESTIONNAIRE, CALLBACK = "questionnaire", "callback"


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Ballot:
    kind: str
    expires_at: datetime
    used_at: datetime | None
    subject_open: bool

    def state_at(self, now: datetime) -> str:
        """One answer per token; an expired link or a finished campaign/callback is not answerable."""
        if self.used_at is not None:
            return USED
        if now >= self.expires_at:
            return EXPIRED
        if not self.subject_open:
            return CLOSED
        return USABLE
