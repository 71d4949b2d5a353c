"""R-CB-2, issue 18 §6: a year's schedule and a deadline counted again, as deciders, given / when / then."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from huifang_callback.domain.calendar_schedule import LoadSchedule
from huifang_callback.domain.commands import ReviseDeadline
from huifang_callback.domain.errors import ScheduleInvalid
from huifang_callback.domain.events import BecameDue, DeadlineRevised, Scheduled, ScheduleLoaded
from huifang_callback.service_layer.calendars import CALENDAR_CODEC, CALENDAR_DECIDER
from huifang_callback.service_layer.callbacks import DECIDER

from tests.callback.unit.test_callback_decider import RECORD, T

pytestmark = pytest.mark.unit

AT = datetime(2026, 12, 31, 1, 0, tzinfo=UTC)
NEW_YEAR = (date(2027, 1, 1), date(2027, 1, 4))


def load(holidays: tuple[date, ...] = NEW_YEAR, workdays: tuple[date, ...] = (date(2027, 1, 9),)) -> LoadSchedule:
    return LoadSchedule("G1", 2027, holidays, workdays, "国办发明电", "qa", AT)


def test_given_no_schedule_when_loaded_then_loaded_sorted() -> None:
    (loaded,) = CALENDAR_DECIDER.given_when([], load(holidays=(date(2027, 1, 4), date(2027, 1, 1))))
    assert (loaded.holidays, loaded.workdays) == (NEW_YEAR, (date(2027, 1, 9),))


def test_given_a_schedule_when_the_same_notice_is_loaded_again_then_nothing() -> None:
    first = CALENDAR_DECIDER.given_when([], load())
    assert CALENDAR_DECIDER.given_when(first, load()) == []
    assert len(CALENDAR_DECIDER.given_when(first, load(workdays=()))) == 1  # a corrected notice


@pytest.mark.parametrize(
    ("holidays", "workdays", "field"),
    [
        ((date(2026, 12, 31),), (), "holidays"),  # another year
        (NEW_YEAR, (date(2027, 1, 5),), "workdays"),  # a Tuesday cannot be an adjusted workday
        ((date(2027, 1, 9),), (date(2027, 1, 9),), "workdays"),  # both
    ],
)
def test_a_schedule_that_cannot_be_right_is_refused_naming_its_field(
    holidays: tuple[date, ...], workdays: tuple[date, ...], field: str
) -> None:
    with pytest.raises(ScheduleInvalid) as refused:
        CALENDAR_DECIDER.given_when([], load(holidays, workdays))
    assert refused.value.field == field


def revise(deadline: datetime, provisional: bool = False, due: datetime | None = None) -> ReviseDeadline:
    due = due or RECORD.due_at
    return ReviseDeadline(AT, due, due, deadline, provisional, "2027 loaded")


def test_given_scheduled_when_counted_again_then_the_whole_window_moves_and_is_settled() -> None:
    provisional = replace(RECORD, deadline_provisional=True)
    later, opens = RECORD.deadline + timedelta(days=1), RECORD.due_at + timedelta(hours=1)
    decided = DECIDER.given_when([Scheduled(provisional, T)], revise(later, due=opens))
    assert decided == [DeadlineRevised(AT, opens, opens, later, False, "2027 loaded")]
    record = DECIDER.fold([Scheduled(provisional, T), *decided]).record
    assert record is not None and (record.due_at, record.deadline, record.deadline_provisional) == (opens, later, False)


def test_given_due_when_counted_again_then_only_the_deadline_moves() -> None:
    later = RECORD.deadline + timedelta(days=1)
    decided = DECIDER.given_when([Scheduled(RECORD, T), BecameDue(T)], revise(later, due=RECORD.due_at + timedelta(1)))
    assert decided == [DeadlineRevised(AT, RECORD.window_start, RECORD.due_at, later, False, "2027 loaded")]


def test_a_window_counted_to_the_same_result_or_a_closed_callback_is_not_revised() -> None:
    assert DECIDER.given_when([Scheduled(RECORD, T)], revise(RECORD.deadline)) == []
    assert DECIDER.given_when([], revise(RECORD.deadline + timedelta(days=1))) == []


def test_schedule_events_survive_the_store_round_trip() -> None:
    (loaded,) = CALENDAR_DECIDER.given_when([], load())
    assert CALENDAR_CODEC.decode(ScheduleLoaded.TYPE, CALENDAR_CODEC.encode(loaded)) == loaded
