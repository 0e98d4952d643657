"""Signing: the whole text, "Jag har läst och godkänner överenskommelsen", and a fresh one-time
code by e-mail, for the unit's staff and the person alike."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assignments.forms import SignForm
from assignments.selectors import live_agreement
from assignments.services import AgreementChanged, SigningError, SigningLocked, sign, start_signing
from assignments.services.signing import get_method, is_locked, party_for, signing_state
from assignments.views.common import scoped


def _party_or_403(request, assignment) -> str:
    party = party_for(assignment, request.user)
    if party is None:
        raise PermissionDenied
    return party


def sign_page(request, pk, side):
    assignment, s = scoped(request, pk, side)
    _party_or_403(request, assignment)
    agreement = live_agreement(assignment)
    if request.method == "POST":
        return _sign(request, assignment, s)
    if agreement is None or assignment.status != "signing":
        messages.info(request, _("Överenskommelsen väntar inte på underskrift."))
        return redirect(s.url("detail", assignment))
    return _render(request, assignment, s, SignForm(initial={"agreement": agreement.pk, "content_hash": agreement.content_hash}))


def _render(request, assignment, s, form, status=200):
    assignment.refresh_from_db()
    agreement = assignment.agreements.filter(voided_at__isnull=True).order_by("-version").first()
    party = party_for(assignment, request.user)
    signatures = signing_state(agreement)
    return render(
        request,
        "assignments/sign.html",
        {
            "assignment": assignment,
            "agreement": agreement,
            "content": agreement.content if agreement else None,
            "form": form,
            "signatures": signatures,
            "signed_by_me": bool(signatures.get(party)),
            "locked": agreement is not None and is_locked(agreement, request.user),
            "method": get_method(),
            "urls": {"detail": s.url("detail", assignment), "sign_code": s.url("sign_code", assignment)},
            "side": s.name,
        },
        status=status,
    )


def _sign(request, assignment, s):
    form = SignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Överenskommelsen är inte underskriven. Se markeringarna i formuläret."))
        return _render(request, assignment, s, form, status=400)
    try:
        sign(
            assignment,
            request.user,
            agreement_id=form.cleaned_data["agreement"],
            shown_hash=form.cleaned_data["content_hash"],
            data={"code": form.cleaned_data["code"]},
            ip_address=request.META.get("REMOTE_ADDR"),
            user_agent=request.headers.get("user-agent", ""),
        )
    except AgreementChanged as exc:
        # The page shows the current version, with fresh hidden fields; the tick is not carried over.
        messages.error(request, str(exc))
        agreement = assignment.agreements.filter(voided_at__isnull=True).order_by("-version").first()
        fresh = SignForm(initial={"agreement": agreement.pk, "content_hash": agreement.content_hash} if agreement else {})
        return _render(request, assignment, s, fresh, status=409)
    except SigningError as exc:
        form.add_error("code", str(exc))
        messages.error(request, str(exc))
        return _render(request, assignment, s, form, status=429 if isinstance(exc, SigningLocked) else 400)
    messages.success(request, _("Tack! Du har skrivit under överenskommelsen."))
    return redirect(s.url("detail", assignment))


@require_POST
def sign_code(request, pk, side):
    assignment, s = scoped(request, pk, side)
    _party_or_403(request, assignment)
    try:
        start_signing(assignment, request.user)
    except SigningError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Vi har skickat en kod till %(email)s. Skriv in den nedan.") % {"email": request.user.email},
        )
    return redirect(s.url("sign", assignment))
