"""Reads for the pages and reports. Every list is one or two queries, whatever its length."""

from datetime import date

from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import ExtractYear, TruncMonth

from compensation.enums import BatchStatus, ClaimStatus, LineStatus
from compensation.models import BatchCostCentre, FeeLine, Payee, PayoutBatch, TravelClaim
from config.kept_counts import KeptCounts


def own_lines(resource):
    return FeeLine.objects.filter(resource=resource).select_related("assignment", "batch").order_by("-on_date", "-pk")


def own_claims(resource):
    return TravelClaim.objects.filter(resource=resource).select_related("assignment", "session").order_by("-created_at")


def lines_to_attest():
    return (
        FeeLine.objects.filter(status=LineStatus.COMPUTED, batch__isnull=True)
        .select_related("assignment", "resource", "unit")
        .order_by("on_date", "pk")
    )


def claims_to_decide():
    return TravelClaim.objects.filter(status=ClaimStatus.SUBMITTED).select_related(
        "assignment", "session", "resource", "assignment__request__unit"
    )


def claims_for_unit_staff(user):
    return TravelClaim.objects.filter(assignment__request__unit__staff=user).select_related(
        "assignment", "session", "resource", "assignment__request__unit"
    )


def payable_summary():
    """Attested lines not yet in a batch, by cost centre, unit, person and month."""
    return (
        FeeLine.objects.filter(status=LineStatus.APPROVED, batch__isnull=True)
        .annotate(month=TruncMonth("on_date"))
        .values("cost_centre", "unit__name", "resource_id", "resource__first_name", "resource__last_name", "month")
        .annotate(lines=Count("pk"), total=Sum("amount_ore"))
        .order_by("cost_centre", "unit__name", "resource__last_name", "resource_id", "month")
    )


# Figures kept in the cache under a generation of their data (config/kept_counts.py), forgotten
# by the receivers connected in CompensationConfig.ready() and by the services' bulk writes.
OPEN_LINES = KeptCounts("compensation.open-lines", seconds=60)
MISSING_PAYEES = KeptCounts("compensation.people-without-payee", seconds=300)


def open_lines_total():
    """Count and sum of every attested line not yet in a batch: one aggregate, from the index.

    At national scale that is 28,000 lines read on every view of the open lines, the page's
    costliest query, for a figure that changes only when lines are added, attested, taken into
    a batch or removed: kept (OPEN_LINES), forgotten on FeeLine's save and delete and by the
    services' bulk writes (`forget_open_lines_total`), at most 60 s old otherwise."""
    lines = FeeLine.objects.filter(status=LineStatus.APPROVED, batch__isnull=True)
    return OPEN_LINES.count(lines, {}, count=lambda: lines.aggregate(lines=Count("*"), total=Sum("amount_ore")))


def forget_open_lines_total(**kwargs) -> None:
    OPEN_LINES.forget()


def payable_page(after=None, size=50):
    """A page of `payable_summary`'s groups in index order (cost centre, unit, person, month),
    after the group `after` = (cost_centre, unit_id, resource_id, first day of the month) when
    given. Keyset paging: a page reads its own lines (feeline_open_by_centre), however many
    lines are open. Returns `size + 1` groups at most; the extra one says there is a next page."""
    lines = FeeLine.objects.filter(status=LineStatus.APPROVED, batch__isnull=True)
    if after:
        centre, unit_id, resource_id, month = after
        next_month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        lines = lines.filter(
            Q(cost_centre__gte=centre)  # the index's starting point; the rest is the exact bound
            & (
                Q(cost_centre__gt=centre)
                | Q(unit_id__gt=unit_id)
                | Q(unit_id=unit_id, resource_id__gt=resource_id)
                | Q(unit_id=unit_id, resource_id=resource_id, on_date__gte=next_month)
            )
        )
    return list(
        lines.annotate(month=TruncMonth("on_date"))
        .values("cost_centre", "unit_id", "resource_id", "month", "unit__name", "resource__first_name", "resource__last_name")
        .annotate(lines=Count("*"), total=Sum("amount_ore"))
        .order_by("cost_centre", "unit_id", "resource_id", "month")[: size + 1]
    )


def batch_lines(batch, after=0, size=50):
    """A page of a batch's lines in id order after line `after` (keyset on feeline_batch_order),
    as rows of the columns the page shows; `size + 1` at most, the extra one saying there is a
    next page."""
    return list(
        FeeLine.objects.filter(batch=batch, pk__gt=after)
        .annotate(reversed=Exists(FeeLine.objects.filter(reverses=OuterRef("pk"))))
        .values(
            "pk",
            "on_date",
            "kind",
            "amount_ore",
            "reverses_id",
            "reversed",
            "assignment__reference",
            "resource__first_name",
            "resource__last_name",
        )
        .order_by("pk")[: size + 1]
    )


def people_without_payee(batch) -> int:
    """How many people with lines in the batch have not given their payout details.

    People, not lines (the lines' own order must not enter the DISTINCT), read from the batch's
    lines by feeline_batch_person alone: a national pool of people is never scanned. Still 7-8 ms
    for a batch of 22,000 lines, the page's costliest query, and the same on every view: a
    batch's lines are fixed when it is made, so the count changes only with payee details. It is
    kept in the cache per batch, forgotten on every save or delete of payee details and when the
    retention sweep deletes lines (`forget_people_without_payee`), and counted again at most
    five minutes after a change that bypasses both (a bulk update, a data load)."""
    without_payee = ~Exists(Payee.objects.filter(resource_id=OuterRef("resource_id")))
    people = FeeLine.objects.filter(without_payee, batch=batch).order_by().values("resource_id").distinct()
    return MISSING_PAYEES.count(people, {"batch": batch.pk})


def forget_people_without_payee(**kwargs) -> None:
    MISSING_PAYEES.forget()


def batches():
    return PayoutBatch.objects.select_related("created_by").order_by("-created_at", "-pk")


def batch_rows():
    """`batches()` as the columns the list shows."""
    return batches().values(
        "pk", "reference", "period_start", "period_end", "status", "line_count", "total_ore", "created_by__email"
    )


def batch_by_cost_centre(batch):
    """The sums kept when the batch was made (BatchCostCentre), not an aggregate of its lines."""
    return (
        BatchCostCentre.objects.filter(batch=batch)
        .values("cost_centre", "unit__name", lines=F("line_count"), total=F("total_ore"))
        .order_by("cost_centre", "unit__name", "unit_id")
    )


def batch_by_kind(batch):
    return (
        FeeLine.objects.filter(batch=batch).values("kind").annotate(lines=Count("pk"), total=Sum("amount_ore")).order_by("kind")
    )


def cost_report(*, year=None, units=None):
    """Fees per month, cost centre and unit; `units` limits it to a unit's own."""
    lines = FeeLine.objects.all()
    if year:
        lines = lines.filter(on_date__year=year)
    if units is not None:
        lines = lines.filter(unit__in=units)
    return (
        lines.annotate(month=TruncMonth("on_date"))
        .values("month", "cost_centre", "unit__name")
        .annotate(
            lines=Count("pk"),
            total=Sum("amount_ore"),
            paid=Sum("amount_ore", filter=Q(batch__status=BatchStatus.PAID)),
        )
        .order_by("month", "cost_centre", "unit__name")
    )


def report_years():
    return sorted(FeeLine.objects.annotate(year=ExtractYear("on_date")).values_list("year", flat=True).distinct(), reverse=True)


def payees():
    return Payee.objects.select_related("resource").order_by("legal_name", "pk")


def paid_in_year(resource, year):
    return (
        FeeLine.objects.filter(resource=resource, batch__status=BatchStatus.PAID, batch__paid_at__year=year)
        .select_related("assignment", "batch")
        .order_by("on_date", "pk")
    )
