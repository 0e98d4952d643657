"""Payout batches: created for a period, exported, paid; mistakes reversed in a later batch."""

from __future__ import annotations

import uuid
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.audit import log_action
from compensation import selectors
from compensation.enums import BATCH_TRANSITIONS, BatchStatus, LineStatus
from compensation.models import BatchCostCentre, FeeLine, PayoutBatch
from compensation.money import format_kr
from compensation.services.fees import CompensationError


def create_batch(*, period_start: date, period_end: date, actor, token: uuid.UUID | None = None) -> PayoutBatch:
    """Takes every attested, unpaid line dated in the period into a new batch.

    The lines are taken with one `UPDATE … SET batch_id = new WHERE batch_id IS NULL`: when two
    finance officers create batches at the same moment, PostgreSQL makes the second wait for
    the first's row locks and then re-checks `batch_id IS NULL`, so a line lands in one batch
    only. A batch that got no lines is not kept.
    """
    if period_end < period_start:
        raise CompensationError(_("Slutdatumet kan inte vara före startdatumet."))
    if token and (earlier := PayoutBatch.objects.filter(submission_token=token).first()):
        return earlier
    now = timezone.now()
    try:
        with transaction.atomic():
            batch = PayoutBatch.objects.create(
                reference=uuid.uuid4().hex[:20],
                period_start=period_start,
                period_end=period_end,
                created_by=actor,
                created_at=now.replace(microsecond=0),
                submission_token=token,
            )
            batch.reference = f"U-{now.year}-{batch.pk:04d}"
            taken = FeeLine.objects.filter(
                status=LineStatus.APPROVED, batch__isnull=True, on_date__gte=period_start, on_date__lte=period_end
            ).update(batch=batch)
            selectors.forget_open_lines_total()  # update() sends no post_save
            if not taken:
                raise CompensationError(_("Det finns inga attesterade rader att betala ut för perioden."))
            totals = FeeLine.objects.filter(batch=batch).aggregate(count=Count("pk"), total=Sum("amount_ore"))
            batch.line_count = totals["count"]
            batch.total_ore = totals["total"] or 0
            batch.save(update_fields=["reference", "line_count", "total_ore"])
            keep_cost_centre_sums(batch)
            log_action(
                "compensation.batch.created",
                actor=actor,
                obj=batch,
                data={"period": [period_start, period_end], "lines": batch.line_count, "total_ore": batch.total_ore},
            )
            return batch
    except IntegrityError:
        if token:
            return PayoutBatch.objects.get(submission_token=token)
        raise


def keep_cost_centre_sums(batch: PayoutBatch) -> None:
    """The batch's sum per cost centre and unit, kept: its lines never change once taken."""
    sums = (
        FeeLine.objects.filter(batch=batch).values("cost_centre", "unit_id").annotate(lines=Count("pk"), total=Sum("amount_ore"))
    )
    BatchCostCentre.objects.bulk_create(
        [
            BatchCostCentre(
                batch=batch,
                cost_centre=row["cost_centre"],
                unit_id=row["unit_id"],
                line_count=row["lines"],
                total_ore=row["total"],
            )
            for row in sums.order_by()
        ],
        batch_size=2000,
    )


def _transition(batch: PayoutBatch, target: str, *, actor) -> PayoutBatch:
    with transaction.atomic():
        locked = PayoutBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status == target:
            return locked
        if target not in BATCH_TRANSITIONS[locked.status]:
            raise CompensationError(_("Utbetalningen kan inte ändras så nu."))
        locked.status = target
        fields = ["status"]
        if target == BatchStatus.EXPORTED:
            locked.exported_at = timezone.now()
            fields.append("exported_at")
        if target == BatchStatus.PAID:
            locked.paid_at = timezone.now()
            locked.paid_by = actor
            fields += ["paid_at", "paid_by"]
        locked.save(update_fields=fields)
        log_action(f"compensation.batch.{target}", actor=actor, obj=locked)
        return locked


def mark_exported(batch: PayoutBatch, *, actor) -> PayoutBatch:
    """The first export of a batch marks it exported; exporting again changes nothing."""
    if batch.status != BatchStatus.CREATED:
        return batch
    return _transition(batch, BatchStatus.EXPORTED, actor=actor)


def mark_paid(batch: PayoutBatch, *, actor) -> PayoutBatch:
    return _transition(batch, BatchStatus.PAID, actor=actor)


def reverse_line(line: FeeLine, *, reason: str, actor) -> FeeLine:
    """Corrects a line already in a batch: a line with the opposite amount, for a later batch."""
    reason = (reason or "").strip()
    if not reason:
        raise CompensationError(_("Skriv varför raden ska återföras."))
    with transaction.atomic():
        locked = FeeLine.objects.select_for_update(of=("self",)).select_related("batch").get(pk=line.pk)
        if locked.batch_id is None:
            raise CompensationError(_("Raden är inte utbetald än. Den kan inte återföras."))
        if locked.reverses_id is not None:
            raise CompensationError(_("En återföring kan inte återföras."))
        if FeeLine.objects.filter(reverses=locked).exists():
            raise CompensationError(_("Raden är redan återförd."))
        with translation.override("sv"):
            explanation = _("Återföring av %(amount)s från utbetalning %(batch)s: %(reason)s") % {
                "amount": format_kr(locked.amount_ore),
                "batch": locked.batch.reference,
                "reason": reason,
            }
        reversal = FeeLine.objects.create(
            assignment_id=locked.assignment_id,
            session_id=locked.session_id,
            claim_id=locked.claim_id,
            resource_id=locked.resource_id,
            unit_id=locked.unit_id,
            cost_centre=locked.cost_centre,
            rate_model_id=locked.rate_model_id,
            kind=locked.kind,
            on_date=timezone.localdate(),
            quantity=-locked.quantity,
            amount_ore=-locked.amount_ore,
            explanation=explanation,
            status=LineStatus.APPROVED,
            approved_by=actor,
            approved_at=timezone.now(),
            reverses=locked,
            reason=reason,
        )
        log_action("compensation.line.reversed", actor=actor, obj=locked, data={"reversal": reversal.pk, "reason": reason})
        return reversal
