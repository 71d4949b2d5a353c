"""The corrective-action repository: its decider, codec, projection and outgoing events, wired once.

Every write to a notice goes through `ActionRepository` — the month closer inside its transaction
(`execute_many`), the routes with `run` (own transaction, re-run when another writer won) — so the
stream, the `corrective_actions` row and the outbox commit together.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from huifang_infra.db import Connection
from huifang_infra.decider import Decider
from huifang_infra.event_codec import EventCodec
from huifang_infra.outbox import Outbox
from huifang_infra.repository import Decided, Repository

from huifang_reporting.adapters.action_rows import write_actions
from huifang_reporting.domain import corrective_action as ca
from huifang_reporting.domain.events import ACTION_EVENTS, ActionEvent, CorrectiveAction
from huifang_reporting.service_layer.outgoing import published

ActionRepository = Repository[ca.ActionCommand, CorrectiveAction, ActionEvent]

corrective_action: Decider[ca.ActionCommand, CorrectiveAction, ActionEvent] = Decider(
    ca.initial_state, ca.decide, ca.evolve
)


def action_codec() -> EventCodec[ActionEvent]:
    return EventCodec(ACTION_EVENTS)


async def project_actions(conn: Connection, decided: Sequence[Decided[Any, CorrectiveAction, Any]]) -> None:
    """The rows of each notice's latest state (a stream named twice in a batch: its last state)."""
    latest = {d.stream_id: d.state for d in decided}
    await write_actions(conn, list(latest.values()))


def action_repository(outbox: Outbox) -> ActionRepository:
    return Repository(corrective_action, action_codec(), outbox=outbox, project=project_actions, publish=published)
