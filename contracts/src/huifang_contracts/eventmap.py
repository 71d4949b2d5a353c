"""The event map in Markdown — a Mermaid flow and a table — rendered from the code, for the README.

Generated, so the picture cannot drift from `topics.PUBLISHED_ON` and `topics.CONSUMES`.
"""

from __future__ import annotations

from huifang_contracts.asyncapi import summary
from huifang_contracts.registry import REGISTRY, Registry
from huifang_contracts.topics import (
    CATALOGUE,
    CONSUMES,
    EXTERNAL_INPUTS,
    PUBLISHED_ON,
    Service,
    Topic,
    consumers_of,
)


def _label(names: list[str], per_line: int = 3) -> str:
    rows = [", ".join(names[i : i + per_line]) for i in range(0, len(names), per_line)]
    return "<br/>".join(rows)


def flow_mermaid() -> str:
    """Producer → consumer edges labelled with the events that travel them."""
    lines = ["```mermaid", "flowchart LR", "  ERP[(ERP)]", "  quality[quality department]"]
    for service, topics in EXTERNAL_INPUTS.items():
        for topic in topics:
            lines.append(f"  ERP -- {topic.value} --> {service.value}")
    for producer in Service:
        for consumer in Service:
            names = [cls.__name__ for cls in CONSUMES[consumer] if cls.producer() == producer.value]
            if names and producer is not consumer:
                lines.append(f'  {producer.value} -- "{_label(names)}" --> {consumer.value}')
    lines.append('  intake -. "ComplaintReopened (back in progress at the source)" .-> ERP')
    outbound = [cls.__name__ for cls in PUBLISHED_ON[Topic.REPORTING_ACTIONS]]
    lines.append(f'  reporting -- "{_label(outbound)}" --> quality')
    lines.append("```")
    return "\n".join(lines)


def event_table(registry: Registry = REGISTRY) -> str:
    """One row per event type: versions, producer, topic, consumers and why it exists."""
    lines = [
        "| event | versions | producer | topic | consumers | why |",
        "|---|---|---|---|---|---|",
    ]
    for topic, classes in PUBLISHED_ON.items():
        for cls in classes:
            latest = registry.latest(cls.TYPE)
            versions = ", ".join(f"v{v}" for v in range(1, latest.VERSION + 1))
            # Only the corrective actions leave the system; any other event nobody consumes yet is "–".
            nobody = "(outbound)" if topic is Topic.REPORTING_ACTIONS else "–"
            consumers = ", ".join(s.value for s in consumers_of(cls.TYPE)) or nobody
            lines.append(
                f"| `{cls.__name__}` | {versions} | {cls.producer()} | `{topic.value}` | {consumers} "
                f"| {summary(latest)} |"
            )
    return "\n".join(lines)


def group_table() -> str:
    """One row per consumer group: the topics it subscribes to and its dead-letter topic."""
    lines = ["| consumer group | subscribes to | dead letter |", "|---|---|---|"]
    for group in CATALOGUE.groups():
        topics = ", ".join(f"`{topic}`" for topic in group.topics)
        lines.append(f"| `{group.name}` | {topics} | `{group.dead_letter}` |")
    return "\n".join(lines)
