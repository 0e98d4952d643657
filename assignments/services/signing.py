"""Signing an agreement version: the interface for signing methods, the e-mailed code, and sign().

A signing method proves, at the moment of signing, that the person at the keyboard is the
party they claim to be ("step-up", also for someone already signed in). The one built in is
a one-time code sent by e-mail. Another method (BankID, Freja eID, a region's own
e-identification) is a subclass of SigningMethod registered in METHODS; see the README.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.audit import log_action
from assignments import signals
from assignments.enums import AssignmentStatus, Party
from assignments.models import Agreement, Assignment, Signature, SigningCode
from assignments.services.agreements import current_agreement
from assignments.services.errors import AgreementChanged, AssignmentError, SigningError, SigningLocked
from assignments.services.lifecycle import lock, set_assignment_status
from notifications.services import send_auth_email

REQUIRED_PARTIES = (Party.UNIT, Party.RESOURCE)


def party_for(assignment: Assignment, user) -> str | None:
    """Which party `user` signs for on this assignment, if any: the person, or staff of the unit."""
    if not getattr(user, "is_authenticated", False):
        return None
    if assignment.resource.user_id == user.pk:
        return Party.RESOURCE
    if assignment.request.unit.staff.filter(pk=user.pk).exists():
        return Party.UNIT
    return None


# --- the interface -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Proof:
    """What a method hands back when it accepts: stored on the signature."""

    method: str
    signer_name: str


class SigningMethod:
    """One way of proving who signs. Subclass it and add an instance to METHODS.

    start() begins a signing (sends a code, or starts an identification order with a provider)
    and verify() checks what came back (a typed code, or the provider's completed order). Both
    run inside the request; verify() raises SigningError with a message for the user, or
    returns a Proof. Nothing secret may be stored in clear.
    """

    name = ""
    label = ""

    def start(self, agreement: Agreement, user) -> None:
        raise NotImplementedError

    def verify(self, agreement: Agreement, user, data: dict) -> Proof:
        raise NotImplementedError


def _code_hash(code: str, agreement_id: int, user_id: int) -> str:
    # A keyed hash: a copy of the table alone gives no way to test the 10^6 possible codes.
    message = f"{agreement_id}:{user_id}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def wrong_codes(agreement: Agreement, user) -> int:
    since = timezone.now() - timedelta(minutes=settings.SIGNING_LOCK_MINUTES)
    codes = SigningCode.objects.filter(agreement__assignment_id=agreement.assignment_id, user=user, created_at__gte=since)
    return codes.aggregate(n=Sum("attempts"))["n"] or 0


def is_locked(agreement: Agreement, user) -> bool:
    return wrong_codes(agreement, user) >= settings.SIGNING_MAX_WRONG_CODES


class EmailCodeMethod(SigningMethod):
    """Six digits by e-mail, valid SIGNING_CODE_MINUTES, once; only a keyed hash is stored.

    The mail goes out at once and its text is never stored (like sign-in codes): a code in the
    outbox would be a live credential in a table staff can read.
    """

    name = "email_code"
    label = "Engångskod via e-post"

    def start(self, agreement: Agreement, user) -> None:
        if is_locked(agreement, user):
            raise SigningLocked(settings.SIGNING_LOCK_MINUTES)
        code = f"{secrets.randbelow(10**6):06d}"
        now = timezone.now()
        # A new code replaces any earlier one: only the latest works.
        SigningCode.objects.filter(agreement=agreement, user=user, used_at__isnull=True, expires_at__gt=now).update(
            expires_at=now
        )
        SigningCode.objects.create(
            agreement=agreement,
            user=user,
            code_hash=_code_hash(code, agreement.pk, user.pk),
            expires_at=now + timedelta(minutes=settings.SIGNING_CODE_MINUTES),
        )
        context = {
            "code": code,
            "minutes": settings.SIGNING_CODE_MINUTES,
            "reference": agreement.assignment.reference,
            "title": agreement.content["what"]["title"],
            "region_name": settings.REGION_NAME,
        }
        with translation.override(settings.LANGUAGE_CODE):
            subject = " ".join(render_to_string("assignments/email/signing_code_subject.txt", context).split())
            body = render_to_string("assignments/email/signing_code.txt", context)
        send_auth_email(
            EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]), template="assignments/email/signing_code"
        )
        log_action("assignments.agreement.code_sent", actor=user, obj=agreement.assignment, data={"version": agreement.version})

    def verify(self, agreement: Agreement, user, data: dict) -> Proof:
        typed = "".join(str(data.get("code", "")).split())
        now = timezone.now()
        code = (
            SigningCode.objects.select_for_update()
            .filter(agreement=agreement, user=user, used_at__isnull=True, expires_at__gt=now)
            .order_by("-created_at")
            .first()
        )
        if code is None:
            raise SigningError(_("Koden gäller inte längre. Be om en ny kod."))
        if not typed or not hmac.compare_digest(code.code_hash, _code_hash(typed, agreement.pk, user.pk)):
            SigningCode.objects.filter(pk=code.pk).update(attempts=code.attempts + 1)
            raise SigningError(_("Koden stämmer inte. Kontrollera den och försök igen, eller be om en ny kod."))
        SigningCode.objects.filter(pk=code.pk).update(used_at=now)
        return Proof(method=self.name, signer_name=user.get_full_name() or user.email)


METHODS: dict[str, SigningMethod] = {EmailCodeMethod.name: EmailCodeMethod()}
DEFAULT_METHOD = EmailCodeMethod.name


def get_method(name: str = DEFAULT_METHOD) -> SigningMethod:
    return METHODS[name]


# --- the services ---------------------------------------------------------------------------------


def _signable(assignment: Assignment, user) -> tuple[Agreement, str]:
    party = party_for(assignment, user)
    if party is None:
        raise SigningError(_("Du är inte part i den här överenskommelsen."))
    if assignment.status != AssignmentStatus.SIGNING:
        raise SigningError(_("Överenskommelsen väntar inte på underskrift."))
    agreement = current_agreement(assignment)
    if agreement is None:
        raise SigningError(_("Överenskommelsen väntar inte på underskrift."))
    return agreement, party


def start_signing(assignment: Assignment, user, *, method: str = DEFAULT_METHOD) -> Agreement:
    """Send a fresh code (or start another method) for the current version."""
    agreement, _party = _signable(assignment, user)
    get_method(method).start(agreement, user)
    return agreement


def sign(
    assignment: Assignment,
    user,
    *,
    agreement_id: int,
    shown_hash: str,
    data: dict,
    ip_address: str | None = None,
    user_agent: str = "",
    method: str = DEFAULT_METHOD,
) -> Signature:
    """Sign the version that was shown. Refused (AgreementChanged → 409) if it is not the current
    one any more; a second click finds the signature the first one made. A wrong code is counted
    even though signing is refused, so the count survives the refusal."""
    refused: SigningError | None = None
    with transaction.atomic():
        locked = lock(assignment)
        party = party_for(locked, user)
        if party is None:
            raise SigningError(_("Du är inte part i den här överenskommelsen."))
        earlier = Signature.objects.filter(
            agreement_id=agreement_id, party=party, agreement__assignment=locked, agreement__voided_at__isnull=True
        ).first()
        if earlier is not None:
            return earlier  # a double click or a resent form: signed once
        agreement, party = _signable(locked, user)
        if agreement.pk != agreement_id or agreement.content_hash != shown_hash:
            raise AgreementChanged()
        if is_locked(agreement, user):
            raise SigningLocked(settings.SIGNING_LOCK_MINUTES)
        try:
            proof = get_method(method).verify(agreement, user, data)
        except SigningError as exc:
            refused = exc  # the counted attempt commits with this block
        else:
            return _record(locked, agreement, party, user, proof, ip_address=ip_address, user_agent=user_agent)
    log_action("assignments.agreement.code_wrong", actor=user, obj=assignment)
    raise refused


def _record(assignment, agreement, party, user, proof: Proof, *, ip_address, user_agent) -> Signature:
    try:
        with transaction.atomic():
            signature = Signature.objects.create(
                agreement=agreement,
                party=party,
                user=user,
                signer_name=proof.signer_name,
                signed_at=timezone.now(),
                ip_address=ip_address,
                user_agent=user_agent[:400],
                method=proof.method,
                content_hash=agreement.content_hash,
            )
    except IntegrityError:
        # Another staff member of the unit signed at the same moment; theirs counts.
        return Signature.objects.get(agreement=agreement, party=party)
    log_action(
        "assignments.agreement.signed",
        actor=user,
        obj=assignment,
        data={"version": agreement.version, "party": party, "method": proof.method, "hash": agreement.content_hash},
    )
    signed = set(agreement.signatures.values_list("party", flat=True))
    if all(p in signed for p in REQUIRED_PARTIES):
        agreement.signed_at = timezone.now()
        agreement.save(update_fields=["signed_at"])
        set_assignment_status(assignment, AssignmentStatus.SIGNED, actor=user)
        signals.agreement_signed.send(sender=Agreement, agreement=agreement)
    return signature


def signing_state(agreement: Agreement | None) -> dict:
    """Who has signed the version, for pages."""
    if agreement is None:
        return {"unit": None, "resource": None}
    by_party = {s.party: s for s in agreement.signatures.all()}
    return {"unit": by_party.get(Party.UNIT), "resource": by_party.get(Party.RESOURCE)}


def ensure_party(assignment: Assignment, user) -> str:
    party = party_for(assignment, user)
    if party is None:
        raise AssignmentError(_("Du är inte part i den här överenskommelsen."))
    return party
