"""Dispatch's name on the wire; its events are enveloped with `Envelope.wrap_caused_by` in the caller's
transaction, so one caused by an incoming event continues that event's correlation chain."""

from __future__ import annotations

PRODUCER = "dispatch"
