import rules

from accounts.rules import is_coordinator, is_unit_staff

rules.add_perm("requests.use_unit_pages", is_unit_staff)
rules.add_perm("requests.triage", is_coordinator)
