"""The estate registry owned by intake: estates with their zone, working-day calendar and type, their
buildings, units and departments. Other services learn of them only from intake's registry events
(`EstateRegistered`, `EstateUpdated`, `BuildingSaved`, `UnitSaved`, `DepartmentSaved` in contracts), each
keeping the facts it needs; the field limits here are the events' own, so a valid part is a valid event.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from huifang_contracts.enums import EstateType
from pydantic import BaseModel, ConfigDict, Field, field_validator

PRESETS = frozenset({"tianxiacheng", "commercial", "full"})
"""R-CB-4 / R-CB-5: the callback policy presets an estate starts from."""


class Estate(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    group_id: str = Field(min_length=1, max_length=128)
    estate_id: str = Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.\-]+$")
    name: str = Field(min_length=1, max_length=200)
    estate_type: EstateType = EstateType.RESIDENTIAL
    preset: str = "tianxiacheng"
    zone: str | None = None
    region: str | None = Field(default=None, description="City / region: which working-day calendar applies.")
    timezone: str = "Asia/Shanghai"
    calendar: str = "cn-mainland"
    household_count: int | None = Field(default=None, ge=0)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        # Times are stored UTC and shown estate-local: the zone must be one the tz database knows.
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown IANA time zone {value!r}") from exc
        return value

    @field_validator("preset")
    @classmethod
    def _known_preset(cls, value: str) -> str:
        if value not in PRESETS:
            raise ValueError(f"unknown preset {value!r}; one of {', '.join(sorted(PRESETS))}")
        return value

    def facts(self) -> dict[str, object]:
        """What `EstateRegistered`/`EstateUpdated` carry (everything but tenancy, which is the envelope's)."""
        return self.model_dump(exclude={"group_id", "estate_id"}, mode="json")


class Group(BaseModel):
    """A property group (物业集团/公司): the tenant every estate belongs to."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name_zh: str = Field(min_length=1, max_length=200)
    name_en: str | None = Field(default=None, max_length=200)


class Building(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    building_id: str = Field(min_length=1, max_length=128)
    name: str = Field(min_length=1, max_length=200)


class Unit(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    unit_id: str = Field(min_length=1, max_length=128)
    building_id: str | None = Field(default=None, min_length=1, max_length=128)
    name: str | None = Field(default=None, min_length=1, max_length=200)


class Department(BaseModel):
    """Engineering 工程部, cleaning 保洁, security 保安, landscaping 绿化, service center … (DOMAIN.md)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    department_id: str = Field(min_length=1, max_length=128)
    name_zh: str = Field(min_length=1, max_length=200)
    name_en: str | None = Field(default=None, min_length=1, max_length=200)


EstatePart = Building | Unit | Department
"""What an estate is made of besides its facts; each is saved (upserted) by its id within the estate."""
