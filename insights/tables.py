"""A table of published numbers, its chart and its CSV. Every value has been through `shown()`."""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from insights.amounts import Kronor
from insights.charts import bar_chart
from insights.disclosure import shown


@dataclass
class Table:
    slug: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    # Which column the bars are drawn from (None: no chart).
    chart_column: int | None = 1
    note: str = ""
    # Row labels marked as needing attention (e.g. areas at risk), shown in words, not only colour.
    flagged: set = field(default_factory=set)
    # Rows beyond this are in the CSV only.
    page_rows: int | None = None

    def add(self, label, *values, base=None, derived=()):
        """One row: each value is a count of people unless its index is in `derived`, in which
        case it rests on `base` people."""
        cells = [shown(v, base=base) if i in derived else shown(v) for i, v in enumerate(values)]
        self.rows.append([label, *cells])
        return self

    @property
    def visible_rows(self) -> list[list]:
        return self.rows if self.page_rows is None else self.rows[: self.page_rows]

    @property
    def hidden_count(self) -> int:
        return max(0, len(self.rows) - len(self.visible_rows))

    @cached_property
    def chart(self):
        if self.chart_column is None or not self.rows:
            return None
        return bar_chart(self.title, [(str(r[0]), r[self.chart_column]) for r in self.visible_rows])

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";")
        writer.writerow(self.columns)
        for row in self.rows:
            writer.writerow([_csv_value(v) for v in row])
        return out.getvalue()


def _csv_value(value):
    if isinstance(value, Kronor):
        return value.csv
    if isinstance(value, float | Decimal):
        return str(value).replace(".", ",")
    return str(value)
