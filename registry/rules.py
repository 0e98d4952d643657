import rules

from accounts.rules import is_coordinator, is_resource

rules.add_perm("registry.list_resources", is_coordinator)
rules.add_perm("registry.see_profile", is_coordinator)
rules.add_perm("registry.use_own_pages", is_resource)
rules.add_perm("registry.manage_resources", is_coordinator)
rules.add_perm("registry.manage_events", is_coordinator)
