"""Signing: both parties on the same content hash, the e-mailed step-up code, 409, double clicks."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from assignments import signals
from assignments.enums import AssignmentStatus, Party
from assignments.models import Agreement, Signature, SigningCode
from assignments.services import (
    AgreementChanged,
    SigningError,
    SigningLocked,
    current_agreement,
    sign,
    start_signing,
    update_agreement,
)
from assignments.services.signing import METHODS, SigningMethod
from notifications.models import OutboundEmail
from tests.assignments.helpers import last_code, sign_as, to_signing
from tests.factories import Role, UserFactory


@pytest.fixture
def signing(chosen, unit_staff):
    return to_signing(chosen, unit_staff)


def _sign(assignment, user, code, **kwargs):
    agreement = kwargs.pop("agreement", None) or current_agreement(assignment)
    return sign(
        assignment,
        user,
        agreement_id=agreement.pk,
        shown_hash=kwargs.pop("shown_hash", agreement.content_hash),
        data={"code": code},
        **kwargs,
    )


def test_both_sign_the_same_content_hash_in_either_order(signing, unit_staff, resource_user):
    received = []

    def receiver(sender, agreement, **kwargs):
        received.append(agreement.pk)

    signals.agreement_signed.connect(receiver)
    try:
        start_signing(signing, unit_staff)
        _sign(signing, unit_staff, last_code(unit_staff.email), ip_address="10.0.0.1", user_agent="Firefox")
        assert Agreement.objects.get().signed_at is None
        assert received == []
        sign_as(signing, resource_user)
    finally:
        signals.agreement_signed.disconnect(receiver)
    agreement = Agreement.objects.get()
    unit_sig, person_sig = agreement.signatures.order_by("signed_at")
    assert (unit_sig.party, person_sig.party) == (Party.UNIT, Party.RESOURCE)
    assert unit_sig.content_hash == person_sig.content_hash == agreement.content_hash
    assert (unit_sig.user, unit_sig.ip_address, unit_sig.user_agent, unit_sig.method) == (
        unit_staff,
        "10.0.0.1",
        "Firefox",
        "email_code",
    )
    assert unit_sig.signer_name == unit_staff.full_name
    assert agreement.signed_at is not None
    assert received == [agreement.pk]
    signing.refresh_from_db()
    assert signing.status == AssignmentStatus.SIGNED


def test_only_a_hash_of_the_code_is_stored_and_the_mail_is_not_kept(signing, resource_user):
    start_signing(signing, resource_user)
    code = last_code(resource_user.email)
    stored = SigningCode.objects.get()
    assert stored.code_hash != code
    assert len(stored.code_hash) == 64
    record = OutboundEmail.objects.get(template="assignments/email/signing_code")
    assert code not in record.subject + record.body_text + record.body_html


def test_a_wrong_code_is_refused_and_counted(signing, resource_user):
    start_signing(signing, resource_user)
    right = last_code(resource_user.email)
    wrong = "000000" if right != "000000" else "111111"
    with pytest.raises(SigningError, match="stämmer inte"):
        _sign(signing, resource_user, wrong)
    assert SigningCode.objects.get().attempts == 1
    assert Signature.objects.count() == 0
    _sign(signing, resource_user, right)
    assert Signature.objects.count() == 1


def test_an_expired_code_is_refused(signing, resource_user):
    start_signing(signing, resource_user)
    SigningCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(SigningError, match="gäller inte längre"):
        _sign(signing, resource_user, last_code(resource_user.email))
    assert Signature.objects.count() == 0


def test_a_code_works_once(signing, resource_user, unit_staff):
    start_signing(signing, resource_user)
    code = last_code(resource_user.email)
    _sign(signing, resource_user, code)
    # A change makes a new version; the used code does not sign it.
    update_agreement(signing, {"preparation": "Läs materialet."}, actor=unit_staff)
    with pytest.raises(SigningError, match="gäller inte längre"):
        _sign(signing, resource_user, code)


def test_a_new_code_replaces_the_old(signing, resource_user):
    start_signing(signing, resource_user)
    first = last_code(resource_user.email)
    mail.outbox.clear()
    start_signing(signing, resource_user)
    second = last_code(resource_user.email)
    if first != second:
        with pytest.raises(SigningError):
            _sign(signing, resource_user, first)
    _sign(signing, resource_user, second)
    assert Signature.objects.count() == 1


def test_five_wrong_codes_lock_signing(signing, resource_user, settings):
    settings.SIGNING_MAX_WRONG_CODES = 5
    start_signing(signing, resource_user)
    right = last_code(resource_user.email)
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(SigningError):
            _sign(signing, resource_user, wrong)
    with pytest.raises(SigningLocked):
        _sign(signing, resource_user, right)
    with pytest.raises(SigningLocked):
        start_signing(signing, resource_user)
    assert Signature.objects.count() == 0
    # After the lock time the person can sign again.
    SigningCode.objects.update(created_at=timezone.now() - timedelta(minutes=settings.SIGNING_LOCK_MINUTES + 1))
    sign_as(signing, resource_user)
    assert Signature.objects.count() == 1


def test_signing_a_version_that_changed_meanwhile_is_refused(signing, resource_user, unit_staff):
    start_signing(signing, resource_user)
    code = last_code(resource_user.email)
    shown = current_agreement(signing)
    update_agreement(signing, {"preparation": "Läs materialet."}, actor=unit_staff)
    with pytest.raises(AgreementChanged):
        _sign(signing, resource_user, code, agreement=shown)
    with pytest.raises(AgreementChanged):
        _sign(signing, resource_user, code, shown_hash="0" * 64)
    assert Signature.objects.count() == 0


def test_a_double_click_signs_once(signing, resource_user):
    start_signing(signing, resource_user)
    code = last_code(resource_user.email)
    first = _sign(signing, resource_user, code)
    second = _sign(signing, resource_user, code)
    assert first == second
    assert Signature.objects.count() == 1


def test_someone_who_is_not_a_party_cannot_sign(signing):
    stranger = UserFactory(roles=[Role.UNIT_STAFF])
    with pytest.raises(SigningError, match="inte part"):
        start_signing(signing, stranger)
    with pytest.raises(SigningError, match="inte part"):
        _sign(signing, stranger, "123456")


def test_nothing_to_sign_while_drafting(chosen, resource_user):
    with pytest.raises(SigningError, match="väntar inte på underskrift"):
        start_signing(chosen, resource_user)


def test_methods_are_an_interface_with_the_email_code_built_in():
    assert set(METHODS) == {"email_code"}
    assert isinstance(METHODS["email_code"], SigningMethod)
    with pytest.raises(NotImplementedError):
        SigningMethod().verify(None, None, {})


def test_resending_the_form_of_a_voided_version_is_refused(signing, resource_user, unit_staff):
    start_signing(signing, resource_user)
    code = last_code(resource_user.email)
    first = current_agreement(signing)
    _sign(signing, resource_user, code)
    update_agreement(signing, {"preparation": "Läs materialet."}, actor=unit_staff)
    with pytest.raises(AgreementChanged):
        _sign(signing, resource_user, code, agreement=first, shown_hash=first.content_hash)
    assert Signature.objects.count() == 1
