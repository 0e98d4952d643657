"""Where later apps add sections to the statistics pages, without insights importing them.

Each hook is a callable (*, period, scope, data) -> list[insights.selectors.Section], appended
in the app's AppConfig.ready(). Every number in its tables must go through
insights.disclosure.shown() (Table.add does that).

FINANCE_SECTIONS is where compensation plugs in "fees per unit and cost centre (totals only)":
it shows on the finance page and, for coordinators, on the statistics page too. It is empty
until compensation is merged (see README, "Statistik").
"""

COORDINATOR_SECTIONS: list = []
FINANCE_SECTIONS: list = []
