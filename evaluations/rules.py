import rules

from accounts.rules import is_coordinator, is_resource, is_unit_staff

rules.add_perm("evaluations.answer_own", is_resource)
rules.add_perm("evaluations.answer_for_unit", is_unit_staff)
rules.add_perm("evaluations.follow_up", is_coordinator)
