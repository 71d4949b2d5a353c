"""The roster of a service center's month as given / when / then, without I/O (R-OP-3; issue 17 §1)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from huifang_dispatch.domain import roster_month as rm
from huifang_dispatch.domain.duty import month_days
from huifang_dispatch.domain.errors import Conflict, InputInvalid, NotFound
from huifang_dispatch.domain.events import (
    RosterChangeDecided,
    RosterChangeRequested,
    RosterDrafted,
    RosterEvent,
    RosterImported,
    RosterPublished,
    RosterRow,
    RosterShiftsSet,
    Shift,
)
from huifang_dispatch.service_layer.rostering import CODEC
from huifang_infra.decider import Decider

pytestmark = pytest.mark.unit

SHANGHAI = ZoneInfo("Asia/Shanghai")
FEB_20 = datetime(2026, 2, 20, 2, 0, tzinfo=UTC)
MAR_2 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
ROSTER = "ros-E1-main-2026-03"
roster: Decider[rm.RosterCommand, rm.RosterMonth, RosterEvent] = Decider(rm.initial_state, rm.decide, rm.evolve)
EVERY_DAY = tuple(Shift(d, "odd" if d.day % 2 else "even") for d in month_days("2026-03"))


def drafted(at: datetime = FEB_20, group: str = "G1") -> RosterDrafted:
    return RosterDrafted(ROSTER, group, "E1", "main", "2026-03", "boss", at)


def test_the_first_save_drafts_the_month_and_a_later_one_replaces_its_shifts() -> None:
    first = roster.given_when([], rm.SaveRoster(drafted(), EVERY_DAY[:3], SHANGHAI))
    assert first == [drafted(), RosterShiftsSet(EVERY_DAY[:3], "boss", FEB_20)]
    again = roster.given_when(first, rm.SaveRoster(drafted(), EVERY_DAY, SHANGHAI))
    assert again == [RosterShiftsSet(EVERY_DAY, "boss", FEB_20)]
    assert roster.fold([*first, *again]).shifts == EVERY_DAY


def test_shifts_outside_the_month_or_a_month_over_are_refused() -> None:
    with pytest.raises(InputInvalid) as outside:
        roster.given_when([], rm.SaveRoster(drafted(), (Shift(date(2026, 4, 1), "odd"),), SHANGHAI))
    assert outside.value.field == "shifts"
    with pytest.raises(InputInvalid) as over:
        roster.given_when([], rm.SaveRoster(drafted(at=datetime(2026, 4, 2, tzinfo=UTC)), (), SHANGHAI))
    assert over.value.field == "month"


def test_publish_leaves_no_day_uncovered_and_is_late_once_the_month_began_R_OP_3() -> None:
    partial = [drafted(), RosterShiftsSet(EVERY_DAY[:-1], "boss", FEB_20)]
    with pytest.raises(InputInvalid, match="2026-03-31"):
        roster.given_when(partial, rm.Publish("boss", FEB_20, SHANGHAI))
    full = [drafted(), RosterShiftsSet(EVERY_DAY, "boss", FEB_20)]
    assert roster.given_when(full, rm.Publish("boss", FEB_20, SHANGHAI)) == [RosterPublished("boss", FEB_20, False)]
    assert roster.given_when(full, rm.Publish("boss", MAR_2, SHANGHAI)) == [RosterPublished("boss", MAR_2, True)]
    published = [*full, RosterPublished("boss", FEB_20, False)]
    with pytest.raises(Conflict):
        roster.given_when(published, rm.Publish("boss", FEB_20, SHANGHAI))
    with pytest.raises(Conflict):  # a published month changes only through leave and swaps
        roster.given_when(published, rm.SaveRoster(drafted(), EVERY_DAY, SHANGHAI))


def test_another_groups_roster_of_the_same_name_does_not_exist_for_the_caller() -> None:
    with pytest.raises(NotFound):
        roster.given_when([drafted()], rm.SaveRoster(drafted(group="G2"), EVERY_DAY, SHANGHAI))
    with pytest.raises(NotFound):
        roster.given_when([], rm.Publish("boss", FEB_20, SHANGHAI))


def test_a_change_counts_for_nothing_until_decided_once_by_a_supervisor_R_OP_3() -> None:
    asked = RosterChangeRequested("chg1", "leave", date(2026, 3, 5), "odd", "odd", FEB_20, substitute_id="cover")
    history: list[RosterEvent] = [drafted(), RosterShiftsSet(EVERY_DAY, "boss", FEB_20), asked]
    assert roster.given_when(history[:2], rm.RequestChange("G1", asked)) == [asked]
    approved = RosterChangeDecided("chg1", "approved", "boss", MAR_2)
    assert roster.given_when(history, rm.DecideChange("chg1", True, "boss", MAR_2)) == [approved]
    with pytest.raises(Conflict, match="already approved"):
        roster.given_when([*history, approved], rm.DecideChange("chg1", False, "boss", MAR_2))
    with pytest.raises(NotFound):
        roster.given_when(history, rm.DecideChange("chg9", True, "boss", MAR_2))


def test_an_imported_roster_goes_on_and_its_events_survive_the_store() -> None:
    row = RosterRow(ROSTER, "G1", "E1", "main", "2026-03", "published", "boss", FEB_20, "boss", FEB_20, False)
    imported = RosterImported(row, EVERY_DAY, ())
    assert roster.given_when([], rm.ImportRoster(imported)) == [imported]
    with pytest.raises(Conflict):
        roster.given_when([imported], rm.Publish("boss", FEB_20, SHANGHAI))
    assert roster.given_when([drafted()], rm.ImportRoster(imported)) == []
    for event in (imported, drafted(), RosterShiftsSet(EVERY_DAY[:2], "boss", FEB_20)):
        assert CODEC.decode(CODEC.type_of(event), CODEC.encode(event)) == event
