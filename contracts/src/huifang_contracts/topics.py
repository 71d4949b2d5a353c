"""The topic catalogue: names, partitions, retention, which event goes where, and who reads what.

Topics are named by producer and aggregate. The key is the estate id (`Envelope.kafka_key`), so 12
partitions spread estates while keeping each estate's events in order. Domain topics keep everything
(`retention.ms=-1`): the log is what projections are rebuilt from. Each consumer group has its own
dead-letter topic `<group>.dlq`. No Kafka client here: infra creates topics from this catalogue.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum

from huifang_contracts import callback, dispatch, intake, reporting, survey
from huifang_contracts.base import IntegrationEvent
from huifang_contracts.errors import UnknownEventType

DEFAULT_PARTITIONS = 12
KEEP_FOREVER: Mapping[str, str] = {"retention.ms": "-1", "cleanup.policy": "delete"}


class Service(StrEnum):
    """The five services; each is one producer name and one consumer group."""

    INTAKE = "intake"
    CALLBACK = "callback"
    DISPATCH = "dispatch"
    SURVEY = "survey"
    REPORTING = "reporting"


class Topic(StrEnum):
    INTAKE_REGISTRY = "intake.registry"
    INTAKE_ORDERS = "intake.orders"
    INTAKE_COMPLAINTS = "intake.complaints"
    INTAKE_REQUESTS = "intake.requests"
    CALLBACK_CALLBACKS = "callback.callbacks"
    CALLBACK_SAMPLES = "callback.samples"
    CALLBACK_POLICIES = "callback.policies"
    DISPATCH_ASSIGNMENTS = "dispatch.assignments"
    DISPATCH_STAFF = "dispatch.staff"
    SURVEY_OUTCOMES = "survey.outcomes"
    SURVEY_CAMPAIGNS = "survey.campaigns"
    REPORTING_ACTIONS = "reporting.actions"
    ERP_INBOUND = "erp.inbound"
    """The ERP's own messages, as it sends them; intake's adapter turns them into intake events."""


PUBLISHED_ON: Mapping[Topic, tuple[type[IntegrationEvent], ...]] = {
    Topic.INTAKE_REGISTRY: (
        intake.EstateRegistered,
        intake.EstateUpdated,
        intake.BuildingSaved,
        intake.UnitSaved,
        intake.DepartmentSaved,
        intake.ComplaintCategoryAdded,
    ),
    Topic.INTAKE_ORDERS: (intake.OrderClosed,),
    Topic.INTAKE_COMPLAINTS: (intake.ComplaintRegistered, intake.ComplaintResolved),
    Topic.INTAKE_REQUESTS: (intake.RenovationCompleted, intake.ServiceRequestClosed),
    Topic.CALLBACK_CALLBACKS: (
        callback.CallbackScheduled,
        callback.CallbackDue,
        callback.CallbackOverdue,
        callback.CallbackDeadlineRevised,
        callback.ComplaintReopened,
    ),
    Topic.CALLBACK_SAMPLES: (callback.SampleDrawn,),
    Topic.CALLBACK_POLICIES: (callback.PolicyChanged,),
    Topic.DISPATCH_ASSIGNMENTS: (dispatch.CallbackAssigned, dispatch.CallbackReassigned),
    Topic.DISPATCH_STAFF: (dispatch.StaffRegistered,),
    Topic.SURVEY_OUTCOMES: (
        survey.CallbackAttempted,
        survey.CallbackCompleted,
        survey.CallbackFailed,
        survey.ComplaintRaisedDuringCallback,
    ),
    Topic.SURVEY_CAMPAIGNS: (
        survey.SurveyCampaignOpened,
        survey.QuestionnaireReturned,
        survey.SurveyCampaignClosed,
    ),
    Topic.REPORTING_ACTIONS: (reporting.CorrectiveActionRequired, reporting.CorrectiveActionVerified),
}
"""Every event type is published on exactly one topic (all its versions)."""

_ESTATES = (intake.EstateRegistered, intake.EstateUpdated)

CONSUMES: Mapping[Service, tuple[type[IntegrationEvent], ...]] = {
    Service.INTAKE: (callback.ComplaintReopened, survey.ComplaintRaisedDuringCallback),
    Service.CALLBACK: (
        *_ESTATES,
        intake.OrderClosed,
        intake.ComplaintRegistered,
        intake.ComplaintResolved,
        intake.RenovationCompleted,
        intake.ServiceRequestClosed,
        survey.CallbackAttempted,
        survey.CallbackCompleted,
        survey.CallbackFailed,
    ),
    Service.DISPATCH: (
        *_ESTATES,
        callback.CallbackScheduled,
        callback.CallbackDue,
        callback.CallbackOverdue,
        survey.CallbackAttempted,
        survey.CallbackCompleted,
        survey.CallbackFailed,
    ),
    Service.SURVEY: (
        *_ESTATES,
        callback.CallbackScheduled,
        dispatch.StaffRegistered,
        dispatch.CallbackAssigned,
        dispatch.CallbackReassigned,
    ),
    Service.REPORTING: (
        *_ESTATES,
        intake.OrderClosed,
        intake.ComplaintRegistered,
        intake.ComplaintResolved,
        intake.RenovationCompleted,
        intake.ServiceRequestClosed,
        callback.PolicyChanged,
        callback.CallbackScheduled,
        callback.CallbackOverdue,
        callback.SampleDrawn,
        callback.ComplaintReopened,
        dispatch.StaffRegistered,
        dispatch.CallbackAssigned,
        dispatch.CallbackReassigned,
        survey.CallbackAttempted,
        survey.CallbackCompleted,
        survey.CallbackFailed,
        survey.SurveyCampaignOpened,
        survey.QuestionnaireReturned,
        survey.SurveyCampaignClosed,
    ),
}
"""Which events each service reacts to (EVENT_FLOW.md); its group reads the topics that carry them."""

EXTERNAL_INPUTS: Mapping[Service, tuple[Topic, ...]] = {Service.INTAKE: (Topic.ERP_INBOUND,)}
"""Topics read that carry no Huifang envelope."""

_ROUTES: dict[str, Topic] = {cls.TYPE: topic for topic, classes in PUBLISHED_ON.items() for cls in classes}


def dead_letter_topic(group: str) -> str:
    """The dead-letter topic of a consumer group."""
    return f"{group}.dlq"


@dataclass(frozen=True)
class TopicSpec:
    """What infra needs to create one topic idempotently."""

    name: str
    partitions: int = DEFAULT_PARTITIONS
    config: dict[str, str] = field(default_factory=lambda: dict(KEEP_FOREVER))


@dataclass(frozen=True)
class ConsumerGroup:
    """One service's consumer group: its id, the topics it subscribes to, the types it handles."""

    service: Service
    name: str
    topics: tuple[str, ...]
    event_types: frozenset[str]
    dead_letter: str


@dataclass(frozen=True)
class TopicCatalogue:
    """The catalogue under one naming: production names, or every name suffixed for an isolated test."""

    suffix: str = ""
    partitions: int = DEFAULT_PARTITIONS

    def with_suffix(self, suffix: str, *, partitions: int | None = None) -> TopicCatalogue:
        """Topics and group ids become `<name>.<suffix>`; dead letters stay `<group>.dlq`."""
        if not suffix or not suffix.replace("-", "").replace("_", "").isalnum():
            raise ValueError(f"suffix must be a non-empty alphanumeric word, got {suffix!r}")
        return replace(self, suffix=suffix, partitions=partitions or self.partitions)

    def name(self, base: str) -> str:
        """The actual name of a base topic or group name under this catalogue."""
        return f"{base}.{self.suffix}" if self.suffix else base

    def topic_for(self, event_type: str) -> str:
        """The topic an event type (any version) is published on."""
        try:
            return self.name(_ROUTES[event_type])
        except KeyError:
            raise UnknownEventType(event_type) from None

    def group(self, service: Service | str) -> ConsumerGroup:
        service = Service(service)
        classes = CONSUMES[service]
        topics = sorted({_ROUTES[cls.TYPE] for cls in classes} | set(EXTERNAL_INPUTS.get(service, ())))
        name = self.name(service.value)
        return ConsumerGroup(
            service=service,
            name=name,
            topics=tuple(self.name(topic) for topic in topics),
            event_types=frozenset(cls.TYPE for cls in classes),
            dead_letter=dead_letter_topic(name),
        )

    def groups(self) -> list[ConsumerGroup]:
        return [self.group(service) for service in Service]

    def dead_letter_topic(self, service: Service | str) -> str:
        return self.group(service).dead_letter

    def domain_topics(self) -> list[TopicSpec]:
        """The event topics and `erp.inbound`."""
        return [TopicSpec(self.name(topic), self.partitions) for topic in Topic]

    def dead_letter_topics(self) -> list[TopicSpec]:
        # Poison messages are evidence: kept like the domain topics until someone replays or discards them.
        return [TopicSpec(group.dead_letter, self.partitions) for group in self.groups()]

    def all_topics(self) -> list[TopicSpec]:
        """Everything infra's `ensure_topics` must create."""
        return self.domain_topics() + self.dead_letter_topics()


CATALOGUE = TopicCatalogue()


def topic_for(event_type: str) -> str:
    """The production topic of an event type; `UnknownEventType` when none carries it."""
    return CATALOGUE.topic_for(event_type)


def consumers_of(event_type: str) -> list[Service]:
    """The services that react to an event type."""
    return [service for service, classes in CONSUMES.items() if event_type in {c.TYPE for c in classes}]
