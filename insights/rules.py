import rules

from accounts.rules import is_coordinator, is_finance

rules.add_perm("insights.view_statistics", is_coordinator)
rules.add_perm("insights.view_finance_statistics", is_finance | is_coordinator)
rules.add_perm("insights.manage_reports", is_coordinator)
