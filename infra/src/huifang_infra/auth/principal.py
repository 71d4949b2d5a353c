"""Who is calling and which part of which property group they may see."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

#: The `estates` claim value that means "every estate of the group" (quality department, directors).
ALL_ESTATES = "*"


class Role(StrEnum):
    """The staff roles of DOMAIN.md "Who uses it", plus the machine and platform roles."""

    receptionist = "receptionist"
    dispatcher = "dispatcher"
    department_head = "department_head"
    site_captain = "site_captain"
    service_center_staff = "service_center_staff"
    office_manager = "office_manager"
    property_director = "property_director"
    quality_dept = "quality_dept"
    integration = "integration"  # the ERP and other systems pushing events through the API
    admin = "admin"


class Scope(NamedTuple):
    """What a query may return: one group, and its listed estates or (None) all of them."""

    group_id: str
    estate_ids: list[str] | None


@dataclass(frozen=True, slots=True)
class Principal:
    """The verified caller. `estate_ids` None means all estates of `group_id`; a group is never crossed."""

    sub: str
    role: Role
    group_id: str
    estate_ids: frozenset[str] | None
    name: str | None = None
    locale: str | None = None

    @property
    def all_estates(self) -> bool:
        return self.estate_ids is None

    def can_see(self, group_id: str, estate_id: str) -> bool:
        """True when the estate belongs to the caller's group and to the caller's estates."""
        if group_id != self.group_id:
            return False
        return self.estate_ids is None or estate_id in self.estate_ids

    def scope_filter(self) -> Scope:
        """Parameters for the tenancy filter every projection query carries, e.g.

        `WHERE group_id = $1 AND ($2::text[] IS NULL OR estate_id = ANY($2::text[]))`
        """
        estates = None if self.estate_ids is None else sorted(self.estate_ids)
        return Scope(self.group_id, estates)
