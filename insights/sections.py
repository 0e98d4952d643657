"""Where later apps add sections to the statistics pages, without insights importing them.

Each hook is a callable (*, period, scope, data) -> list[insights.selectors.Section], appended
in the app's AppConfig.ready(). Every number in its tables must go through
insights.disclosure.shown() (Table.add does that).

FINANCE_SECTIONS are shown on the finance page and, for coordinators, on the statistics page
too. The fees per unit and cost centre are not a hook: insights reads compensation directly
(insights/fees.py).
"""

COORDINATOR_SECTIONS: list = []
FINANCE_SECTIONS: list = []
