"""Registry details become their contracts events field for field (issue 5, item 2); the domain refuses
what an event could not carry, so a saved part is always a publishable one."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from huifang_contracts.intake import BuildingSaved, ComplaintCategoryAdded, DepartmentSaved, UnitSaved
from huifang_intake.domain.registry import Building, Department, Unit
from huifang_intake.service_layer.outgoing import category_event, part_event
from pydantic import ValidationError

pytestmark = pytest.mark.unit


def test_each_estate_part_becomes_its_saved_event_with_the_same_fields() -> None:
    assert part_event(Building(building_id="T1", name="1号楼")) == BuildingSaved(building_id="T1", name="1号楼")
    assert part_event(Unit(unit_id="T1-0101", building_id="T1")) == UnitSaved(unit_id="T1-0101", building_id="T1")
    assert part_event(Department(department_id="engineering", name_zh="工程部", name_en="Engineering")) == (
        DepartmentSaved(department_id="engineering", name_zh="工程部", name_en="Engineering")
    )


@pytest.mark.parametrize("stored", [None, ""])
def test_a_level_1_category_travels_without_a_subcategory(stored: str | None) -> None:
    # The registry stores a level-1 addition with subcategory ''; on the wire that is None.
    assert category_event("安全", stored) == ComplaintCategoryAdded(category="安全", subcategory=None)


@pytest.mark.parametrize(
    "build",
    [
        lambda: Unit(unit_id="X-1", building_id=""),
        lambda: Unit(unit_id="X-1", name="楼" * 201),
        lambda: Department(department_id="engineering", name_zh="工程部", name_en="E" * 201),
    ],
)
def test_the_domain_refuses_a_part_its_event_could_not_carry(build: Callable[[], object]) -> None:
    with pytest.raises(ValidationError):
        build()
