"""E-mails about compensation, each a subject/text template pair under templates/compensation/email/.
Keys make each mail go out once, whatever runs twice."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from compensation.enums import ClaimKind, ClaimStatus
from compensation.money import format_kr, format_number, round_kronor
from notifications.services import queue_email


def send_claim_decided(claim, *, priced, changed: bool) -> None:
    """To the person: the claim was approved, approved with a change, or not approved, and why.

    `priced` is what the decision computed (also a line of 0 kr when the day's cap was used up),
    so the mail shows how the amount was reached even when nothing is paid.
    """
    resource = claim.resource
    if not resource.email:
        return  # no address: the decision and its reason are on Mina sidor
    outcome = "rejected" if claim.status == ClaimStatus.REJECTED else "changed" if changed else "approved"
    if claim.kind == ClaimKind.MILEAGE:
        asked = f"{format_number(claim.kilometres or 0)} km ({claim.from_place}–{claim.to_place})"
    else:
        asked = format_kr(round_kronor(claim.amount or 0))
    queue_email(
        key=f"compensation.claim_decided:{claim.pk}:{resource.email.lower()}",
        to=resource.email,
        template="compensation/email/claim_decided",
        context={
            "claim": claim,
            "outcome": outcome,
            "name": resource.first_name,
            "kind": claim.get_kind_display(),
            "day": claim.session.date,
            "reference": claim.assignment.reference,
            "asked": asked,
            "explanations": [p.explanation for p in priced],
            "total": format_kr(sum(p.amount_ore for p in priced)),
            "reason": claim.decision_reason,
            "link": settings.SITE_URL + reverse("compensation:own_fees"),
        },
    )
