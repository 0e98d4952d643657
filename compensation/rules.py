"""Who may do what with fees and payouts."""

import rules

from accounts.rules import is_coordinator, is_finance, is_resource, is_unit_staff

rules.add_perm("compensation.attest", is_coordinator)
rules.add_perm("compensation.mark_no_fee", is_coordinator)
rules.add_perm("compensation.finance", is_finance)
rules.add_perm("compensation.view_payee", is_finance)
rules.add_perm("compensation.reports", is_finance | is_coordinator)
rules.add_perm("compensation.own", is_resource)
rules.add_perm("compensation.unit_costs", is_unit_staff)
# Which claims: a coordinator any, unit staff only their units' (the view scopes the query, others get 404).
rules.add_perm("compensation.decide_claim", is_coordinator | is_unit_staff)
