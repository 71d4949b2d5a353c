"""The topic catalogue: every event has a topic, every group its topics and dead letter (EVENT_FLOW.md)."""

from __future__ import annotations

import pytest
from huifang_contracts.errors import UnknownEventType
from huifang_contracts.registry import REGISTRY
from huifang_contracts.topics import (
    CATALOGUE,
    CONSUMES,
    PUBLISHED_ON,
    Service,
    Topic,
    consumers_of,
    dead_letter_topic,
    topic_for,
)

pytestmark = pytest.mark.unit

ALL = {Service.CALLBACK, Service.DISPATCH, Service.SURVEY, Service.REPORTING}
# The consumers column of EVENT_FLOW.md's table, transcribed: the code must keep saying the same.
EVENT_FLOW_CONSUMERS: dict[str, set[Service]] = {
    "intake.EstateRegistered": ALL,
    "intake.EstateUpdated": ALL,
    # Registry details: published for projections; no service reacts to them yet.
    "intake.BuildingSaved": set(),
    "intake.UnitSaved": set(),
    "intake.DepartmentSaved": set(),
    "intake.ComplaintCategoryAdded": set(),
    "intake.OrderClosed": {Service.CALLBACK, Service.REPORTING},
    "intake.ComplaintRegistered": {Service.CALLBACK, Service.REPORTING},
    "intake.ComplaintResolved": {Service.CALLBACK, Service.REPORTING},
    "intake.RenovationCompleted": {Service.CALLBACK, Service.REPORTING},
    "intake.ServiceRequestClosed": {Service.CALLBACK, Service.REPORTING},
    "callback.PolicyChanged": {Service.REPORTING},
    "callback.CallbackScheduled": {Service.DISPATCH, Service.SURVEY, Service.REPORTING},
    "callback.SampleDrawn": {Service.REPORTING},
    "callback.CallbackDue": {Service.DISPATCH},
    "callback.CallbackOverdue": {Service.DISPATCH, Service.REPORTING},
    "callback.CallbackDeadlineRevised": set(),  # published for the queues and reports that will follow it
    "dispatch.StaffRegistered": {Service.SURVEY, Service.REPORTING},
    "dispatch.CallbackAssigned": {Service.SURVEY, Service.REPORTING},
    "dispatch.CallbackReassigned": {Service.SURVEY, Service.REPORTING},
    "survey.CallbackAttempted": {Service.CALLBACK, Service.DISPATCH, Service.REPORTING},
    "survey.CallbackCompleted": {Service.CALLBACK, Service.DISPATCH, Service.REPORTING},
    "survey.CallbackFailed": {Service.CALLBACK, Service.DISPATCH, Service.REPORTING},
    "callback.ComplaintReopened": {Service.INTAKE, Service.REPORTING},
    "survey.ComplaintRaisedDuringCallback": {Service.INTAKE},
    "survey.SurveyCampaignOpened": {Service.REPORTING},
    "survey.QuestionnaireReturned": {Service.REPORTING},
    "survey.SurveyCampaignClosed": {Service.REPORTING},
    "reporting.CorrectiveActionRequired": set(),
    "reporting.CorrectiveActionVerified": set(),
}


@pytest.mark.parametrize("event_type", REGISTRY.event_types())
def test_every_registered_event_type_routes_to_one_topic_of_its_producer(event_type: str) -> None:
    topic = topic_for(event_type)
    assert topic in {t.value for t in Topic}
    assert topic.split(".")[0] == event_type.split(".")[0]
    assert sum(event_type in {cls.TYPE for cls in classes} for classes in PUBLISHED_ON.values()) == 1


def test_topic_mapping_covers_exactly_the_registered_types() -> None:
    routed = {cls.TYPE for classes in PUBLISHED_ON.values() for cls in classes}
    assert routed == set(REGISTRY.event_types())


def test_an_unrouted_type_raises_unknown_event_type() -> None:
    with pytest.raises(UnknownEventType):
        topic_for("intake.Nothing")


def test_topic_names_follow_event_flow() -> None:
    assert topic_for("intake.OrderClosed") == "intake.orders"
    assert topic_for("intake.ComplaintResolved") == "intake.complaints"
    assert topic_for("callback.SampleDrawn") == "callback.samples"
    assert topic_for("survey.CallbackCompleted") == "survey.outcomes"
    assert topic_for("reporting.CorrectiveActionRequired") == "reporting.actions"


def test_consumers_match_the_event_flow_table() -> None:
    assert {t: set(consumers_of(t)) for t in REGISTRY.event_types()} == EVENT_FLOW_CONSUMERS


def test_no_service_consumes_its_own_events() -> None:
    for service, classes in CONSUMES.items():
        assert all(cls.producer() != service.value for cls in classes), service


def test_each_group_subscribes_to_the_topics_of_what_it_consumes() -> None:
    for service in Service:
        group = CATALOGUE.group(service)
        assert group.name == service.value
        assert {topic_for(t) for t in group.event_types} <= set(group.topics)
        assert group.event_types == {cls.TYPE for cls in CONSUMES[service]}
    assert "erp.inbound" in CATALOGUE.group("intake").topics


@pytest.mark.parametrize("service", list(Service))
def test_every_consumer_group_has_its_dead_letter_topic(service: Service) -> None:
    assert dead_letter_topic(service.value) == f"{service.value}.dlq"
    assert CATALOGUE.dead_letter_topic(service) == f"{service.value}.dlq"
    assert f"{service.value}.dlq" in {spec.name for spec in CATALOGUE.all_topics()}


def test_all_topics_are_domain_topics_erp_inbound_and_dead_letters_once_each() -> None:
    names = [spec.name for spec in CATALOGUE.all_topics()]
    assert len(names) == len(set(names)) == len(Topic) + len(Service)
    assert "erp.inbound" in names


def test_topics_keep_everything_on_twelve_partitions() -> None:
    for spec in CATALOGUE.all_topics():
        assert spec.partitions == 12, spec.name
        assert spec.config == {"retention.ms": "-1", "cleanup.policy": "delete"}, spec.name


def test_with_suffix_isolates_every_name() -> None:
    isolated = CATALOGUE.with_suffix("t1a2b3", partitions=3)
    assert all(spec.name.endswith(".t1a2b3") or spec.name.endswith(".t1a2b3.dlq") for spec in isolated.all_topics())
    assert {spec.partitions for spec in isolated.all_topics()} == {3}
    assert isolated.topic_for("intake.OrderClosed") == "intake.orders.t1a2b3"
    group = isolated.group(Service.CALLBACK)
    assert group.name == "callback.t1a2b3"
    assert group.dead_letter == "callback.t1a2b3.dlq" == dead_letter_topic(group.name)
    assert all(topic.endswith(".t1a2b3") for topic in group.topics)
    assert not {s.name for s in isolated.all_topics()} & {s.name for s in CATALOGUE.all_topics()}
    assert CATALOGUE.topic_for("intake.OrderClosed") == "intake.orders", "the production catalogue is unchanged"


@pytest.mark.parametrize("suffix", ["", "a b", "x.y"])
def test_with_suffix_rejects_names_that_would_not_isolate_cleanly(suffix: str) -> None:
    with pytest.raises(ValueError):
        CATALOGUE.with_suffix(suffix)
