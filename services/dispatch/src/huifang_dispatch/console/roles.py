"""Staff roles of the directory → the platform roles a token carries, and the estates it covers."""

from __future__ import annotations

from huifang_contracts.enums import StaffRole
from huifang_infra.auth import Role
from huifang_infra.auth.principal import ALL_ESTATES

#: R-CB-3 pairs an administrator (行政人员) with the department head; on the platform they record
#: callbacks like the service center's staff. Machine roles never sign in with a password.
_PLATFORM_ROLE: dict[StaffRole, Role] = {
    StaffRole.RECEPTIONIST: Role.receptionist,
    StaffRole.DISPATCHER: Role.dispatcher,
    StaffRole.DEPARTMENT_HEAD: Role.department_head,
    StaffRole.SITE_CAPTAIN: Role.site_captain,
    StaffRole.SERVICE_CENTER_STAFF: Role.service_center_staff,
    StaffRole.OFFICE_MANAGER: Role.office_manager,
    StaffRole.PROPERTY_DIRECTOR: Role.property_director,
    StaffRole.ADMINISTRATOR: Role.service_center_staff,
    StaffRole.QUALITY_DEPT: Role.quality_dept,
    StaffRole.ADMIN: Role.admin,
}

#: The quality department audits every estate of the group (R-CB-13); so does the platform admin.
_GROUP_WIDE = frozenset({StaffRole.QUALITY_DEPT, StaffRole.ADMIN})


def platform_role(role: StaffRole) -> Role | None:
    """None: this role may not sign in to the console."""
    return _PLATFORM_ROLE.get(role)


def estates_claim(role: StaffRole, estate_id: str) -> list[str]:
    return [ALL_ESTATES] if role in _GROUP_WIDE else [estate_id]
