"""The callback service's repositories: each aggregate's decider, codec, projection and publication."""

from __future__ import annotations

from huifang_infra.decider import Decider
from huifang_infra.event_codec import EventCodec
from huifang_infra.outbox import Outbox
from huifang_infra.repository import Repository

from huifang_callback.adapters.callbacks import project_callbacks
from huifang_callback.adapters.samples import project_samples
from huifang_callback.domain import callback_life, sample
from huifang_callback.domain.callback_life import CallbackLife
from huifang_callback.domain.commands import CallbackCommand
from huifang_callback.domain.events import CALLBACK_EVENTS, SAMPLE_EVENTS, CallbackEvent, SampleEvent
from huifang_callback.domain.sample import DrawSample, SampleState
from huifang_callback.service_layer.outgoing import published, sample_published

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


SampleRepository = Repository[DrawSample, SampleState, SampleEvent]
SAMPLE_DECIDER: Decider[DrawSample, SampleState, SampleEvent] = Decider(
    sample.initial_state, sample.decide, sample.evolve
)
SAMPLE_CODEC: EventCodec[SampleEvent] = EventCodec(SAMPLE_EVENTS)
SAMPLE_STATE_TABLES = ("samples",)


def sample_stream_of(sample_id: str) -> str:
    return f"sample-{sample_id}"


def sample_repository(outbox: Outbox) -> SampleRepository:
    return Repository(SAMPLE_DECIDER, SAMPLE_CODEC, outbox=outbox, project=project_samples, publish=sample_published)
