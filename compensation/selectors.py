"""Reads for the pages and reports. Every list is one or two queries, whatever its length."""

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear, TruncMonth

from compensation.enums import BatchStatus, ClaimStatus, LineStatus
from compensation.models import FeeLine, Payee, PayoutBatch, TravelClaim


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


def batches():
    return PayoutBatch.objects.select_related("created_by").order_by("-created_at", "-pk")


def batch_by_cost_centre(batch):
    return (
        FeeLine.objects.filter(batch=batch)
        .values("cost_centre", "unit__name")
        .annotate(lines=Count("pk"), total=Sum("amount_ore"))
        .order_by("cost_centre", "unit__name")
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
