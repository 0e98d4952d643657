"""Who may do what with assignments. Views name a permission; every query is also scoped
(selectors.py), so another unit's or person's assignment is a 404, not a 403."""

import rules

from accounts.rules import is_coordinator, is_resource, is_unit_staff
from assignments.enums import ACTIVE_STATUSES, EDITABLE_STATUSES, AssignmentStatus


@rules.predicate
def is_unit_party(user, assignment):
    return assignment is not None and assignment.request.unit.staff.filter(pk=user.pk).exists()


@rules.predicate
def is_the_person(user, assignment):
    return assignment is not None and assignment.resource.user_id == user.pk


@rules.predicate
def is_editable(user, assignment):
    return assignment is not None and assignment.status in EDITABLE_STATUSES


@rules.predicate
def is_active(user, assignment):
    return assignment is not None and assignment.status in ACTIVE_STATUSES


@rules.predicate
def is_signing(user, assignment):
    return assignment is not None and assignment.status == AssignmentStatus.SIGNING


rules.add_perm("assignments.list", is_coordinator)
rules.add_perm("assignments.use_unit_pages", is_unit_staff)
rules.add_perm("assignments.use_own_pages", is_resource)
# The agreement is drafted by the unit's staff or a coordinator.
rules.add_perm("assignments.draft", (is_coordinator | (is_unit_staff & is_unit_party)) & is_editable)
# Each party signs for itself.
rules.add_perm("assignments.sign", (is_unit_party | is_the_person) & is_signing)
rules.add_perm(
    "assignments.cancel", (is_coordinator | (is_unit_staff & is_unit_party) | (is_resource & is_the_person)) & is_active
)
rules.add_perm("assignments.report", is_unit_staff & is_unit_party)
rules.add_perm("assignments.answer_report", is_resource & is_the_person)
rules.add_perm("assignments.resolve", is_coordinator)
