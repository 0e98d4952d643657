"""Fees computed when an assignment is done; "no fee"; attest; the person's travel claims."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.audit import log_action
from assignments.enums import AssignmentStatus
from assignments.models import Assignment
from compensation import selectors
from compensation.calculator import Priced, Pricer, PricingError, price_sessions
from compensation.emails import send_claim_decided
from compensation.enums import CLAIM_RATE, ClaimKind, ClaimStatus, LineStatus
from compensation.models import FeeLine, NoFee, TravelClaim
from compensation.money import round_kronor
from registry.models import ExperienceResource


class CompensationError(Exception):
    """Something that cannot be done; the message is for the user."""


def _initial_status() -> str:
    return LineStatus.APPROVED if settings.COMPENSATION_AUTO_APPROVE else LineStatus.COMPUTED


def _line(assignment: Assignment, priced: Priced, *, day, session=None, claim=None, actor=None) -> FeeLine:
    status = _initial_status()
    return FeeLine(
        assignment=assignment,
        session=session,
        claim=claim,
        resource_id=assignment.resource_id,
        unit_id=assignment.request.unit_id,
        cost_centre=assignment.request.unit.cost_centre,
        rate_model=priced.model,
        kind=priced.kind,
        on_date=day,
        quantity=priced.quantity,
        amount_ore=priced.amount_ore,
        explanation=priced.explanation,
        status=status,
        approved_at=timezone.now() if status == LineStatus.APPROVED else None,
    )


def compute_fees(assignment: Assignment, *, actor=None, check_status: bool = True) -> list[FeeLine]:
    """The fee lines of a done assignment, computed once. Safe to call again: returns what exists.

    The signal handler passes check_status=False: the signal itself says the assignment is
    done, whatever order the sender saved the status and sent the signal in.
    """
    with transaction.atomic():
        locked = Assignment.objects.select_for_update(of=("self",)).select_related("request__unit").get(pk=assignment.pk)
        if check_status and locked.status != AssignmentStatus.DONE:
            raise CompensationError(_("Arvodet räknas fram först när uppdraget är genomfört."))
        existing = list(FeeLine.objects.filter(assignment=locked, claim__isnull=True, reverses__isnull=True))
        if existing:
            return existing
        if NoFee.objects.filter(assignment=locked).exists():
            log_action("compensation.fees.none", actor=actor, obj=locked, data={"reason": "no_fee"})
            return []
        # Explanations are stored words: always in the source language, whoever confirmed.
        with translation.override("sv"):
            try:
                priced = price_sessions(locked, locked.sessions.order_by("date", "starts_at", "pk"))
            except PricingError as exc:
                log_action("compensation.fees.failed", actor=actor, obj=locked, data={"error": str(exc)})
                return []
        lines = FeeLine.objects.bulk_create(
            [_line(locked, p, day=session.date, session=session) for session, p in priced if p.amount_ore]
        )
        selectors.forget_open_lines_total()  # bulk_create sends no post_save
        log_action(
            "compensation.fees.computed",
            actor=actor,
            obj=locked,
            data={"lines": len(lines), "total_ore": sum(line.amount_ore for line in lines)},
        )
        return lines


def on_assignment_done(sender, assignment, actor=None, **kwargs):
    """assignments.signals.assignment_done: inside the completing transaction."""
    compute_fees(assignment, actor=actor, check_status=False)


def mark_no_fee(assignment: Assignment, *, reason: str, actor) -> NoFee:
    reason = (reason or "").strip()
    if not reason:
        raise CompensationError(_("Skriv varför inget arvode ska betalas."))
    with transaction.atomic():
        locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if FeeLine.objects.filter(assignment=locked, claim__isnull=True).exists():
            raise CompensationError(_("Arvodet är redan framräknat. Rätta det med en återföring i stället."))
        no_fee, _created = NoFee.objects.update_or_create(assignment=locked, defaults={"reason": reason, "marked_by": actor})
        log_action("compensation.no_fee.marked", actor=actor, obj=locked, data={"reason": reason})
        return no_fee


def unmark_no_fee(assignment: Assignment, *, actor) -> None:
    with transaction.atomic():
        deleted, _rows = NoFee.objects.filter(assignment=assignment).delete()
        if deleted:
            log_action("compensation.no_fee.unmarked", actor=actor, obj=assignment)


def approve_lines(lines, *, actor) -> int:
    """Attest lines for payout. Only lines still waiting are touched (a double click does nothing)."""
    ids = [line.pk for line in lines]
    with transaction.atomic():
        count = FeeLine.objects.filter(pk__in=ids, status=LineStatus.COMPUTED, batch__isnull=True).update(
            status=LineStatus.APPROVED, approved_by=actor, approved_at=timezone.now()
        )
        if count:
            selectors.forget_open_lines_total()  # update() sends no post_save
            log_action("compensation.lines.approved", actor=actor, data={"lines": sorted(ids), "count": count})
    return count


# --- travel claims -----------------------------------------------------------------------


def claim_deadline(assignment: Assignment):
    """Claims are accepted until TRAVEL_CLAIM_DAYS after the assignment is done (or its last session)."""
    if assignment.done_at:
        start = timezone.localdate(assignment.done_at)
    else:
        last = assignment.sessions.order_by("-date").values_list("date", flat=True).first()
        start = last or timezone.localdate()
    return start + timedelta(days=settings.TRAVEL_CLAIM_DAYS)


def can_claim(assignment: Assignment) -> bool:
    return assignment.status in (AssignmentStatus.SIGNED, AssignmentStatus.DONE) and timezone.localdate() <= claim_deadline(
        assignment
    )


def submit_claim(claim: TravelClaim, *, actor, token: uuid.UUID | None = None) -> TravelClaim:
    """Stores the person's claim; the same form sent twice (double click) stores one."""
    if token and (earlier := TravelClaim.objects.filter(submission_token=token).first()):
        return earlier
    if not can_claim(claim.assignment):
        raise CompensationError(_("Tiden för att begära ersättning för det här uppdraget har gått ut."))
    claim.resource_id = claim.assignment.resource_id
    claim.submission_token = token
    claim.status = ClaimStatus.SUBMITTED
    try:
        with transaction.atomic():
            claim.save()
            log_action(
                "compensation.claim.submitted",
                actor=actor,
                obj=claim,
                data={"kind": claim.kind, "kilometres": claim.kilometres, "amount": claim.amount},
            )
    except IntegrityError:
        if token:
            return TravelClaim.objects.get(submission_token=token)
        raise
    return claim


def _already_paid_that_day(claim: TravelClaim, day) -> int:
    """What the person's other claims of the same kind got for the same day (reversals count)."""
    # One decision at a time per person: two claims for one day decided at once must not
    # both see the whole cap. The person's row is the lock (SQLite serialises writes anyway).
    ExperienceResource.objects.select_for_update().filter(pk=claim.resource_id).values_list("pk", flat=True).first()
    return (
        FeeLine.objects.filter(resource_id=claim.resource_id, on_date=day, claim__kind=claim.kind)
        .exclude(claim=claim)
        .aggregate(total=Sum("amount_ore"))["total"]
        or 0
    )


def decide_claim(
    claim: TravelClaim,
    *,
    approve: bool,
    reason: str,
    actor,
    kilometres: Decimal | None = None,
    amount: Decimal | None = None,
) -> TravelClaim:
    """The unit's contact or a coordinator approves (lines are made), approves with a change, or
    rejects; a change or a rejection needs a reason. The person gets a mail either way.

    A change is `kilometres` (mileage) or `amount` (receipts, lost income) other than claimed;
    the claim keeps what the person asked for and the lines say what was approved.
    """
    reason = (reason or "").strip()
    if not approve and not reason:
        raise CompensationError(_("Skriv varför ersättningen inte godkänns. Personen får se skälet."))
    changing = approve and (kilometres is not None or amount is not None)
    if changing and not reason:
        raise CompensationError(_("Skriv varför du ändrar ersättningen. Personen får se skälet."))
    with transaction.atomic():
        locked = (
            TravelClaim.objects.select_for_update(of=("self",))
            .select_related("assignment__request__unit", "session", "resource")
            .get(pk=claim.pk)
        )
        if locked.status != ClaimStatus.SUBMITTED:
            return locked  # already decided (another tab, a double click)
        priced = []
        if approve:
            pricer = Pricer()
            day = locked.session.date
            with translation.override("sv"):
                try:
                    if locked.kind == ClaimKind.MILEAGE:
                        route = f"{locked.from_place}–{locked.to_place}"
                        km = kilometres if kilometres is not None else locked.kilometres
                        priced = pricer.mileage(day, km, route)
                    else:
                        claimed = amount if amount is not None else (locked.amount or 0)
                        priced = [
                            pricer.against_receipt(
                                day, CLAIM_RATE[locked.kind], claimed, already_ore=_already_paid_that_day(locked, day)
                            )
                        ]
                except PricingError as exc:
                    raise CompensationError(str(exc)) from exc
        lines = FeeLine.objects.bulk_create(
            [_line(locked.assignment, p, day=day, session=locked.session, claim=locked) for p in priced if p.amount_ore]
        )
        selectors.forget_open_lines_total()  # bulk_create sends no post_save
        changed = changing or (
            locked.kind != ClaimKind.MILEAGE and approve and priced[0].amount_ore < round_kronor(locked.amount or 0)
        )
        locked.status = ClaimStatus.APPROVED if approve else ClaimStatus.REJECTED
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.decision_reason = reason
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        log_action(
            "compensation.claim.approved" if approve else "compensation.claim.rejected",
            actor=actor,
            obj=locked,
            data={
                "reason": reason,
                "lines": [line.pk for line in lines],
                "changed": changed,
                "kilometres": kilometres,
                "amount": amount,
            },
        )
        send_claim_decided(locked, priced=priced, changed=changed)
        return locked
