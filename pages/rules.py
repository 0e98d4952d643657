import rules

from accounts.rules import is_coordinator, is_finance, is_resource, is_unit_staff

rules.add_perm("pages.coordinator_home", is_coordinator)
rules.add_perm("pages.unit_home", is_unit_staff)
rules.add_perm("pages.resource_home", is_resource)
rules.add_perm("pages.finance_home", is_finance)
