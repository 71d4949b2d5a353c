"""What a composition root builds before the runtime: the topic catalogue and the outbox of its settings.

The runtime is handed the same catalogue and outbox, so repositories and handlers are built first and
passed in whole; nothing is patched into a runtime after it was constructed, and there is one catalogue.
"""

from __future__ import annotations

from huifang_contracts.topics import CATALOGUE, TopicCatalogue

from huifang_infra.outbox import Outbox
from huifang_infra.settings import ServiceSettings


def catalogue_for(settings: ServiceSettings) -> TopicCatalogue:
    """The catalogue's topics, suffixed (and partitioned) as the settings say — the tests' own names."""
    suffix = settings.topic_suffix
    return CATALOGUE.with_suffix(suffix, partitions=settings.topic_partitions) if suffix else CATALOGUE


def outbox_for(settings: ServiceSettings) -> Outbox:
    return Outbox(catalogue_for(settings).topic_for)
