"""Who may do what, as composable predicates. Views name a permission; they hold no logic."""

import rules

from accounts.enums import Role


@rules.predicate
def is_coordinator(user):
    return user.is_authenticated and user.has_role(Role.COORDINATOR)


@rules.predicate
def is_unit_staff(user):
    return user.is_authenticated and user.has_role(Role.UNIT_STAFF)


@rules.predicate
def is_resource(user):
    return user.is_authenticated and user.has_role(Role.RESOURCE)


@rules.predicate
def is_finance(user):
    return user.is_authenticated and user.has_role(Role.FINANCE)


@rules.predicate
def is_administrator(user):
    return user.is_authenticated and user.has_role(Role.ADMINISTRATOR)


rules.add_perm("accounts.view_auditlog", is_administrator)
rules.add_perm("accounts.manage_users", is_administrator)
