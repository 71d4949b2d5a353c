"""The AsyncAPI 3.0 document: every topic as a channel, every event version as a message.

Payload schemas are referenced, not copied: each message is the envelope (`envelope.json`) whose
`payload` is the event's `TYPE.vN.json`, all files in the same folder. Operations say who sends on each
channel and which messages each consumer group receives from it.
"""

from __future__ import annotations

from typing import Any

from huifang_contracts.base import IntegrationEvent
from huifang_contracts.registry import REGISTRY, Registry
from huifang_contracts.topics import (
    CATALOGUE,
    CONSUMES,
    EXTERNAL_INPUTS,
    PUBLISHED_ON,
    Service,
    Topic,
    TopicCatalogue,
)

KAFKA_BINDING_VERSION = "0.5.0"
ENVELOPE_FILE = "envelope.json"


def summary(cls: type[IntegrationEvent]) -> str:
    """The first line of an event's docstring: why it exists."""
    return (cls.__doc__ or cls.TYPE).strip().splitlines()[0]


def _message(cls: type[IntegrationEvent]) -> dict[str, Any]:
    return {
        "name": cls.TYPE,
        "title": f"{cls.TYPE} v{cls.VERSION}",
        "summary": summary(cls),
        "contentType": "application/json",
        "headers": {"$ref": "#/components/schemas/KafkaHeaders"},
        "payload": {
            "allOf": [
                {"$ref": ENVELOPE_FILE},
                {
                    "type": "object",
                    "properties": {
                        "type": {"const": cls.TYPE},
                        "version": {"const": cls.VERSION},
                        "payload": {"$ref": f"{cls.schema_name()}.json"},
                    },
                },
            ]
        },
        "bindings": {
            "kafka": {
                "key": {"type": "string", "description": "estate_id: per-estate order"},
                "bindingVersion": KAFKA_BINDING_VERSION,
            }
        },
    }


_HEADERS = {
    "type": "object",
    "required": ["type", "version"],
    "properties": {
        "type": {"type": "string", "description": "The envelope's type."},
        "version": {"type": "string", "description": "The envelope's version, decimal."},
        "traceparent": {"type": "string", "description": "W3C trace context of the writing transaction."},
        "tracestate": {"type": "string", "description": "W3C trace state, when present."},
    },
}


def _channel(topic: Topic, catalogue: TopicCatalogue, versions: list[type[IntegrationEvent]]) -> dict[str, Any]:
    spec = next(s for s in catalogue.domain_topics() if s.name == catalogue.name(topic))
    channel: dict[str, Any] = {
        "address": spec.name,
        "messages": {cls.schema_name(): {"$ref": f"#/components/messages/{cls.schema_name()}"} for cls in versions},
        "bindings": {
            "kafka": {
                "partitions": spec.partitions,
                "topicConfiguration": {
                    "cleanup.policy": [spec.config["cleanup.policy"]],
                    "retention.ms": int(spec.config["retention.ms"]),
                },
                "bindingVersion": KAFKA_BINDING_VERSION,
            }
        },
    }
    if topic is Topic.ERP_INBOUND:
        channel["description"] = "The ERP's own work-order and complaint messages, read by intake as they are."
    return channel


def _message_refs(topic: Topic, versions: list[type[IntegrationEvent]]) -> list[dict[str, str]]:
    return [{"$ref": f"#/channels/{topic.value}/messages/{cls.schema_name()}"} for cls in versions]


def asyncapi_document(registry: Registry = REGISTRY, catalogue: TopicCatalogue = CATALOGUE) -> dict[str, Any]:
    """The whole document as JSON-shaped data."""
    versions = {
        topic: [v for cls in classes for v in registry.all_versions() if v.TYPE == cls.TYPE]
        for topic, classes in PUBLISHED_ON.items()
    }
    channels = {topic.value: _channel(topic, catalogue, versions.get(topic, [])) for topic in Topic}
    operations: dict[str, Any] = {}
    for topic, classes in PUBLISHED_ON.items():
        operations[f"{classes[0].producer()}.send.{topic.value}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{topic.value}"},
            "messages": _message_refs(topic, versions[topic]),
        }
    for service in Service:
        handled = {cls.TYPE for cls in CONSUMES[service]}
        for topic in Topic:
            received = [v for v in versions.get(topic, []) if v.TYPE in handled]
            if received or topic in EXTERNAL_INPUTS.get(service, ()):
                operations[f"{service.value}.receive.{topic.value}"] = {
                    "action": "receive",
                    "channel": {"$ref": f"#/channels/{topic.value}"},
                    "messages": _message_refs(topic, received),
                    "bindings": {
                        "kafka": {
                            "groupId": {"type": "string", "const": catalogue.group(service).name},
                            "bindingVersion": KAFKA_BINDING_VERSION,
                        }
                    },
                }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Huifang integration events",
            "version": "1.0.0",
            "description": "Events between intake, callback, dispatch, survey and reporting. Key: estate_id.",
        },
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": operations,
        "components": {
            "schemas": {"KafkaHeaders": _HEADERS},
            "messages": {cls.schema_name(): _message(cls) for cls in registry.all_versions()},
        },
    }
