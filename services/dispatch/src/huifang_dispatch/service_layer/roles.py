"""Which platform roles may do what in dispatch; one table, so routes never disagree."""

from __future__ import annotations

from huifang_infra.auth import Role

#: Keep the staff directory and import it from CSV.
STAFF_ADMINS = frozenset({Role.office_manager, Role.property_director, Role.admin})

#: R-OP-3: the service-center supervisor approves leave and swaps, signs the duty log daily and
#: makes the monthly roster; department heads and managers above them may too.
SUPERVISORS = frozenset({Role.department_head, Role.office_manager, Role.property_director, Role.admin})

#: Reassign callbacks, see an estate's queues and the unassigned queue.
MANAGERS = frozenset({Role.dispatcher, *SUPERVISORS})

#: May read the manager views without changing anything.
READERS = frozenset({*MANAGERS, Role.quality_dept})
