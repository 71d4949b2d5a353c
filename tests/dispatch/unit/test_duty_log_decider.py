"""The duty log of a duty day as given / when / then, without I/O (R-OP-3; issue 17 §1)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from huifang_dispatch.domain import duty_log as dl
from huifang_dispatch.domain.errors import Conflict, InputInvalid
from huifang_dispatch.domain.events import (
    DutyDayImported,
    DutyDayKey,
    DutyLogEntryWritten,
    DutyLogEvent,
    DutyLogRow,
    DutyLogSignedOff,
)
from huifang_dispatch.service_layer.duty_logging import CODEC
from huifang_infra.decider import Decider

pytestmark = pytest.mark.unit

DAY = DutyDayKey("G1", "E1", "main", date(2026, 3, 4))
TODAY = date(2026, 3, 5)
log: Decider[dl.DutyLogCommand, dl.DutyDay, DutyLogEvent] = Decider(dl.initial_state, dl.decide, dl.evolve)


def test_an_entry_is_written_and_a_correction_names_the_entry_it_corrects_R_OP_3() -> None:
    assert log.given_when([], dl.WriteEntry(DAY, 7, "li", "receptionist", "10:05 2栋漏水")) == [
        DutyLogEntryWritten(DAY, 7, "entry", "li", "receptionist", "10:05 2栋漏水")
    ]
    fix = dl.WriteEntry(DAY, 8, "li", "receptionist", "更正：3栋", corrects_entry_id=7, corrected_kind="entry")
    assert log.given_when([], fix) == [DutyLogEntryWritten(DAY, 8, "correction", "li", "receptionist", "更正：3栋", 7)]


def test_a_correction_of_nothing_or_of_a_sign_off_is_refused() -> None:
    with pytest.raises(InputInvalid) as missing:
        log.given_when([], dl.WriteEntry(DAY, 8, "li", "receptionist", "x", corrects_entry_id=999))
    assert missing.value.field == "corrects_entry_id"
    with pytest.raises(InputInvalid):
        log.given_when([], dl.WriteEntry(DAY, 8, "li", "receptionist", "x", 5, corrected_kind="sign_off"))


def test_the_supervisor_signs_a_begun_day_once_R_OP_3() -> None:
    signed = DutyLogSignedOff(DAY, 9, "zhang", "department_head", "已查阅")
    assert log.given_when([], dl.SignOff(DAY, 9, "zhang", "department_head", "已查阅", TODAY)) == [signed]
    with pytest.raises(Conflict):
        log.given_when([signed], dl.SignOff(DAY, 10, "zhang", "department_head", "again", TODAY))
    with pytest.raises(InputInvalid) as future:
        log.given_when([], dl.SignOff(DAY, 9, "zhang", "department_head", "", date(2026, 3, 3)))
    assert future.value.field == "duty_date"


def test_an_imported_day_keeps_its_sign_off_and_is_imported_only_into_an_empty_day() -> None:
    at = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)
    imported = DutyDayImported(DAY, (DutyLogRow(3, "sign_off", "zhang", "department_head", "已查阅", None, at),))
    assert log.given_when([], dl.ImportDay(imported)) == [imported]
    assert log.fold([imported]).signed_off
    with pytest.raises(Conflict):
        log.given_when([imported], dl.SignOff(DAY, 9, "zhang", "department_head", "", TODAY))
    assert log.given_when([DutyLogEntryWritten(DAY, 1, "entry", "li", "r", "x")], dl.ImportDay(imported)) == []
    assert CODEC.decode(CODEC.type_of(imported), CODEC.encode(imported)) == imported
