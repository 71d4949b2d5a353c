"""Huifang event contracts: the envelope, every integration event, the topic catalogue.

The names most callers need are re-exported here; events live in their producer's module
(`huifang_contracts.intake`, `.callback`, `.dispatch`, `.survey`, `.reporting`).
"""

from huifang_contracts.base import IntegrationEvent
from huifang_contracts.envelope import Envelope, read_header
from huifang_contracts.errors import (
    ContractError,
    EnvelopeInvalid,
    EventInvalid,
    UnknownEventType,
    UnknownEventVersion,
)
from huifang_contracts.registry import REGISTRY, decode
from huifang_contracts.topics import (
    CATALOGUE,
    ConsumerGroup,
    Service,
    Topic,
    TopicCatalogue,
    TopicSpec,
    dead_letter_topic,
    topic_for,
)

__all__ = [
    "CATALOGUE",
    "REGISTRY",
    "ConsumerGroup",
    "ContractError",
    "Envelope",
    "EnvelopeInvalid",
    "EventInvalid",
    "IntegrationEvent",
    "Service",
    "Topic",
    "TopicCatalogue",
    "TopicSpec",
    "UnknownEventType",
    "UnknownEventVersion",
    "dead_letter_topic",
    "decode",
    "read_header",
    "topic_for",
]
