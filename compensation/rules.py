"""Who may do what with fees and payouts."""

import rules

from accounts.rules import is_coordinator, is_finance, is_resource, is_unit_staff


@rules.predicate
def is_unit_of_claim(user, claim):
    if claim is None or not user.is_authenticated:
        return False
    return claim.assignment.request.unit.staff.filter(pk=user.pk).exists()


rules.add_perm("compensation.attest", is_coordinator)
rules.add_perm("compensation.mark_no_fee", is_coordinator)
rules.add_perm("compensation.finance", is_finance)
rules.add_perm("compensation.view_payee", is_finance)
rules.add_perm("compensation.reports", is_finance | is_coordinator)
rules.add_perm("compensation.own", is_resource)
rules.add_perm("compensation.unit_costs", is_unit_staff)
rules.add_perm("compensation.decide_claim", is_coordinator | is_unit_of_claim)
