"""The callback streams' repository: the decider, its codec, the callbacks projection and the outbox."""

from __future__ import annotations

from huifang_infra.decider import Decider
from huifang_infra.event_codec import EventCodec
from huifang_infra.outbox import Outbox
from huifang_infra.repository import Repository

from huifang_callback.adapters.callbacks import project_callbacks
from huifang_callback.domain import callback_life
from huifang_callback.domain.callback_life import CallbackLife
from huifang_callback.domain.commands import CallbackCommand
from huifang_callback.domain.events import CALLBACK_EVENTS, CallbackEvent
from huifang_callback.service_layer.outgoing import published

CallbackRepository = Repository[CallbackCommand, CallbackLife, CallbackEvent]

DECIDER: Decider[CallbackCommand, CallbackLife, CallbackEvent] = Decider(
    callback_life.initial_state, callback_life.decide, callback_life.evolve
)
CODEC: EventCodec[CallbackEvent] = EventCodec(CALLBACK_EVENTS)


#: The callback streams' projections: emptied and refilled by a state rebuild.
CALLBACK_STATE_TABLES = ("callbacks", "callback_skips")


def stream_of(callback_id: str) -> str:
    return f"callback-{callback_id}"


def callback_repository(outbox: Outbox) -> CallbackRepository:
    return Repository(DECIDER, CODEC, outbox=outbox, project=project_callbacks, publish=published)
