"""Fees per unit and per cost centre for a period: totals only, for finance and coordinators.

Counted from compensation's fee lines dated in the period (the session's or the claim's day):
every line, attested or not, with reversing lines netted in, so the totals are what the period
costs. Nothing about the people but how many were paid: no names, no areas, no health data.
A total paid to fewer than 5 people is shown as "färre än 5", like every other figure.

Three grouped reads, whatever the number of lines; the page caches the rendered section with
the rest (see insights.cache), so they run once per refresh, period and scope. At national scale
they are most of the time a page takes to draw (bench/README.md); the next step would be to keep
the sums in the summary table like the other figures.
"""

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from compensation.enums import LineKind
from compensation.models import FeeLine
from insights.amounts import Kronor
from insights.disclosure import is_small
from insights.tables import Table

FEES_ONLY = Q(kind=LineKind.FEE)


def fee_lines(period, scope):
    lines = FeeLine.objects.filter(on_date__lt=period.end)
    if period.start:
        lines = lines.filter(on_date__gte=period.start)
    if scope.unit:
        lines = lines.filter(unit=scope.unit)
    elif scope.organisation:
        lines = lines.filter(unit__organisation=scope.organisation)
    return lines


SUMS = {
    "people": Count("resource", distinct=True),
    "fees": Sum("amount_ore", filter=FEES_ONLY, default=0),
    "other": Sum("amount_ore", filter=~FEES_ONLY, default=0),
    "total": Sum("amount_ore", default=0),
}


def _columns(first: str) -> list[str]:
    return [first, _("Personer med ersättning"), _("Arvoden"), _("Reseersättning och andra ersättningar"), _("Totalt")]


def _add(table: Table, label, row: dict) -> None:
    # The amounts rest on the people paid: a total for fewer than 5 is withheld like a count.
    people = row["people"]
    amounts = (Kronor(row["fees"]), Kronor(row["other"]), Kronor(row["total"]))
    table.add(label, people, *amounts, base=people, derived=(1, 2, 3))


def _published_order(rows, name: str) -> list[dict]:
    """The largest totals first; the withheld ones last, by name, so their place in the list
    does not tell how large they are."""
    return sorted(rows, key=lambda r: (is_small(r["people"]), 0 if is_small(r["people"]) else -r["total"], str(r[name])))


def fee_tables(period, scope) -> list[Table]:
    lines = fee_lines(period, scope)
    summary = Table("arvoden", _("Arvoden och ersättningar, totalt"), _columns(_("Gäller")), chart_column=None)
    _add(summary, scope.label, lines.aggregate(**SUMS))
    by_unit = Table(
        "arvoden-verksamhet",
        _("Arvoden och ersättningar per verksamhet"),
        _columns(_("Verksamhet")),
        chart_column=4,
        page_rows=25,
    )
    for row in _published_order(lines.values("unit_id", "unit__name").annotate(**SUMS).order_by(), "unit__name"):
        _add(by_unit, row["unit__name"], row)
    by_cost_centre = Table(
        "arvoden-kostnadsstalle",
        _("Arvoden och ersättningar per kostnadsställe"),
        _columns(_("Kostnadsställe")),
        chart_column=4,
        page_rows=25,
    )
    for row in _published_order(lines.values("cost_centre").annotate(**SUMS).order_by(), "cost_centre"):
        _add(by_cost_centre, row["cost_centre"] or _("okänt"), row)
    return [summary, by_unit, by_cost_centre]
