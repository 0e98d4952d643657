import rules

from accounts.rules import is_coordinator, is_resource

rules.add_perm("matching.match", is_coordinator)
rules.add_perm("matching.use_own_pages", is_resource)
