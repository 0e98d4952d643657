"""The retention sweep: payout data goes PAYOUT_RETENTION_YEARS after the person left."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.audit import log_action
from compensation.models import FeeLine, Payee, TravelClaim


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def purge_expired_payout_data(today: date | None = None) -> int:
    """Deletes payee details, fee lines and claims (with receipts) of people who left long enough ago.

    Batches keep their totals (stored when they were made), so bookkeeping sums stay.
    Returns the number of people purged.
    """
    today = today or timezone.localdate()
    cutoff = _years_before(today, settings.PAYOUT_RETENTION_YEARS)
    resource_ids = set(Payee.objects.filter(resource__left_at__date__lt=cutoff).values_list("resource_id", flat=True)) | set(
        FeeLine.objects.filter(resource__left_at__date__lt=cutoff).values_list("resource_id", flat=True).distinct()
    )
    purged = 0
    for resource_id in sorted(resource_ids):
        with transaction.atomic():
            # Queryset deletes on purpose: the model refuses to delete lines in a batch; the law's
            # time limit is the one reason they may go.
            lines = FeeLine.objects.filter(resource_id=resource_id)
            line_count = lines.count()
            lines.filter(reverses__isnull=False).delete()
            lines.delete()
            claims = TravelClaim.objects.filter(resource_id=resource_id)
            for claim in claims.exclude(receipt=""):
                claim.receipt.delete(save=False)
            claims.delete()
            Payee.objects.filter(resource_id=resource_id).delete()
            log_action(
                "compensation.payout_data.purged",
                data={"resource": resource_id, "lines": line_count, "retention_years": settings.PAYOUT_RETENTION_YEARS},
            )
            purged += 1
    return purged
