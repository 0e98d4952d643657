"""Deciding the person's claims: the cap per day for lost income and receipts, a changed
amount, and the mail the person gets about the decision."""

from datetime import date, time
from decimal import Decimal

import pytest
from django.urls import reverse

from assignments.enums import AssignmentStatus
from compensation.enums import ClaimKind, ClaimStatus, LineKind
from compensation.models import FeeLine, TravelClaim
from compensation.services import CompensationError, decide_claim
from notifications.models import OutboundEmail
from tests.assignments.factories import AssignmentFactory, SessionFactory
from tests.compensation.factories import amount_model

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 10)


@pytest.fixture
def model():
    """Lost income up to 1 500 kr a day, parking up to 200 kr a day, public transport uncapped."""
    return amount_model()


def session_of(assignment, day=DAY, start=time(9), end=time(12)):
    return SessionFactory(assignment=assignment, date=day, starts_at=start, ends_at=end)


@pytest.fixture
def person_day(model):
    """One person with two assignments (two units) on the same day, a session each."""
    first = AssignmentFactory(status=AssignmentStatus.SIGNED)
    second = AssignmentFactory(status=AssignmentStatus.SIGNED, resource=first.resource)
    return first.resource, session_of(first), session_of(second, start=time(13), end=time(16))


def claim(session, kind=ClaimKind.LOST_INCOME, **fields):
    return TravelClaim.objects.create(
        assignment=session.assignment, session=session, resource=session.assignment.resource, kind=kind, **fields
    )


def paid(claim_):
    return [(line.kind, line.amount_ore, line.explanation) for line in FeeLine.objects.filter(claim=claim_)]


# --- the cap per day ------------------------------------------------------------------------


def test_lost_income_on_one_day_shares_one_cap_across_sessions(person_day, coordinator):
    _person, morning, afternoon = person_day
    first = claim(morning, amount=Decimal("1000"))
    second = claim(afternoon, amount=Decimal("1000"))
    decide_claim(first, approve=True, reason="", actor=coordinator)
    decide_claim(second, approve=True, reason="", actor=coordinator)
    assert paid(first) == [
        (LineKind.LOST_INCOME, 100000, "Förlorad arbetsinkomst: 1\u00a0000\u00a0kr enligt ersättningsmodell 2026")
    ]
    assert paid(second) == [
        (
            LineKind.LOST_INCOME,
            50000,
            "Förlorad arbetsinkomst: 1\u00a0000\u00a0kr; högst 1\u00a0500\u00a0kr per dag, varav 1\u00a0000\u00a0kr redan "
            "ersatt samma dag = 500\u00a0kr enligt ersättningsmodell 2026",
        )
    ]
    total = sum(FeeLine.objects.filter(kind=LineKind.LOST_INCOME).values_list("amount_ore", flat=True))
    assert total == 150000


def test_lost_income_on_another_day_has_its_own_cap(model, coordinator):
    assignment = AssignmentFactory(status=AssignmentStatus.SIGNED)
    monday = claim(session_of(assignment, DAY), amount=Decimal("1500"))
    tuesday = claim(session_of(assignment, date(2026, 3, 11)), amount=Decimal("1500"))
    decide_claim(monday, approve=True, reason="", actor=coordinator)
    decide_claim(tuesday, approve=True, reason="", actor=coordinator)
    assert [a for _k, a, _t in paid(monday) + paid(tuesday)] == [150000, 150000]


def test_another_persons_lost_income_the_same_day_does_not_count(model, coordinator):
    one = claim(session_of(AssignmentFactory(status=AssignmentStatus.SIGNED)), amount=Decimal("1500"))
    other = claim(session_of(AssignmentFactory(status=AssignmentStatus.SIGNED)), amount=Decimal("1500"))
    decide_claim(one, approve=True, reason="", actor=coordinator)
    decide_claim(other, approve=True, reason="", actor=coordinator)
    assert [a for _k, a, _t in paid(one) + paid(other)] == [150000, 150000]


def test_one_claim_over_the_cap_is_paid_the_cap_and_rounded_half_up(model, coordinator):
    over = claim(session_of(AssignmentFactory(status=AssignmentStatus.SIGNED)), amount=Decimal("1600.50"))
    decide_claim(over, approve=True, reason="", actor=coordinator)
    assert paid(over) == [
        (
            LineKind.LOST_INCOME,
            150000,
            "Förlorad arbetsinkomst: 1\u00a0601\u00a0kr, högst 1\u00a0500\u00a0kr per dag = 1\u00a0500\u00a0kr "
            "enligt ersättningsmodell 2026",
        )
    ]


def test_a_used_up_cap_approves_nothing_and_the_mail_says_so(person_day, coordinator):
    _person, morning, afternoon = person_day
    decide_claim(claim(morning, amount=Decimal("1500")), approve=True, reason="", actor=coordinator)
    late = claim(afternoon, amount=Decimal("400"))
    decide_claim(late, approve=True, reason="", actor=coordinator)
    late.refresh_from_db()
    assert late.status == ClaimStatus.APPROVED
    assert paid(late) == []
    mail = OutboundEmail.objects.get(key__startswith=f"compensation.claim_decided:{late.pk}:")
    assert "godkänd med en ändring" in mail.subject
    assert "varav 1\u00a0500\u00a0kr redan ersatt samma dag = 0\u00a0kr" in mail.body_text
    assert "Du får 0\u00a0kr." in mail.body_text


def test_parking_has_a_cap_per_day_and_public_transport_is_counted_apart(person_day, coordinator):
    _person, morning, afternoon = person_day
    parking = [claim(s, kind=ClaimKind.PARKING, amount=Decimal("150")) for s in (morning, afternoon)]
    bus = claim(afternoon, kind=ClaimKind.PUBLIC_TRANSPORT, amount=Decimal("300"))
    for c in [*parking, bus]:
        decide_claim(c, approve=True, reason="", actor=coordinator)
    assert [a for _k, a, _t in paid(parking[0]) + paid(parking[1]) + paid(bus)] == [15000, 5000, 30000]


# --- a changed amount --------------------------------------------------------------------


def test_a_change_needs_a_reason(model, coordinator):
    c = claim(session_of(AssignmentFactory(status=AssignmentStatus.SIGNED)), amount=Decimal("1000"))
    with pytest.raises(CompensationError):
        decide_claim(c, approve=True, reason=" ", actor=coordinator, amount=Decimal("800"))
    with pytest.raises(CompensationError):
        decide_claim(c, approve=False, reason="", actor=coordinator)
    c.refresh_from_db()
    assert c.status == ClaimStatus.SUBMITTED
    assert not OutboundEmail.objects.exists()


def test_the_unit_approves_fewer_kilometres_and_the_person_is_told_why(client, login, unit, unit_staff):
    assignment = AssignmentFactory(status=AssignmentStatus.SIGNED, request__unit=unit, reference="LB-2026-0042-1")
    amount_model()
    mileage = claim(
        session_of(assignment), kind=ClaimKind.MILEAGE, kilometres=Decimal("37"), from_place="Hemma", to_place="Sjukhuset"
    )
    login(client, unit_staff)
    url = reverse("compensation:claim", args=[mileage.pk])
    response = client.post(url, {"decision": "change", "kilometres": "30", "reason": ""})
    assert response.status_code == 400
    assert response.context["form"].errors["reason"] == ["Skriv varför du ändrar ersättningen."]
    response = client.post(url, {"decision": "change", "reason": "Kortaste vägen är 30 km."})
    assert response.status_code == 400
    assert response.context["form"].errors["kilometres"] == ["Skriv vad du godkänner."]
    assert not OutboundEmail.objects.exists()

    response = client.post(url, {"decision": "change", "kilometres": "30", "reason": "Kortaste vägen är 30 km."})
    assert response.status_code == 302
    mileage.refresh_from_db()
    assert mileage.status == ClaimStatus.APPROVED
    assert mileage.kilometres == Decimal("37")  # what the person asked for is kept
    # 30 km x 3.00 = 90 kr: 30 x 2.50 = 75 kr tax free, 15 kr taxable.
    assert {k: a for k, a, _t in paid(mileage)} == {LineKind.MILEAGE_TAX_FREE: 7500, LineKind.MILEAGE_TAXABLE: 1500}

    mail = OutboundEmail.objects.get()
    assert mail.to == assignment.resource.email
    assert mail.key == f"compensation.claim_decided:{mileage.pk}:{assignment.resource.email.lower()}"
    assert mail.subject == "Din begäran om ersättning är godkänd med en ändring (LB-2026-0042-1)"
    text = mail.body_text
    assert f"Hej {assignment.resource.first_name}!" in text
    assert "Egen bil, 10 mars 2026, 37 km (Hemma–Sjukhuset)" in text
    assert "Vi har godkänt din begäran, men med ett annat belopp än du begärde." in text
    assert "Skälet: Kortaste vägen är 30 km." in text
    assert "Milersättning (Hemma–Sjukhuset), skattefri del: 30 km × 2,5 kr = 75\u00a0kr" in text
    assert "Du får 90\u00a0kr." in text
    assert "/mina-sidor/ersattning/" in text
    assert "Vänliga hälsningar" in text  # the signature include

    # Deciding again (another tab) changes nothing and sends nothing more.
    client.post(url, {"decision": "reject", "reason": "Fel"})
    mileage.refresh_from_db()
    assert mileage.status == ClaimStatus.APPROVED
    assert OutboundEmail.objects.count() == 1


def test_a_changed_amount_for_a_receipt(model, coordinator):
    parking = claim(session_of(AssignmentFactory(status=AssignmentStatus.SIGNED)), kind=ClaimKind.PARKING, amount=Decimal("180"))
    decide_claim(parking, approve=True, reason="Kvittot visar 120 kr.", actor=coordinator, amount=Decimal("120"))
    assert [a for _k, a, _t in paid(parking)] == [12000]
    mail = OutboundEmail.objects.get()
    assert "godkänd med en ändring" in mail.subject
    assert "Parkering, 10 mars 2026, 180\u00a0kr." in mail.body_text
    assert "Skälet: Kvittot visar 120 kr." in mail.body_text


# --- the mail ------------------------------------------------------------------------------


def test_an_approval_mail_shows_how_it_was_computed(model, coordinator):
    c = claim(session_of(AssignmentFactory(status=AssignmentStatus.SIGNED, reference="LB-2026-0007-1")), amount=Decimal("900"))
    decide_claim(c, approve=True, reason="", actor=coordinator)
    decide_claim(c, approve=True, reason="", actor=coordinator)  # a double click
    mail = OutboundEmail.objects.get()
    assert mail.template == "compensation/email/claim_decided"
    assert mail.subject == "Din begäran om ersättning är godkänd (LB-2026-0007-1)"
    assert "Vi har godkänt din begäran." in mail.body_text
    assert "- Förlorad arbetsinkomst: 900\u00a0kr enligt ersättningsmodell 2026" in mail.body_text
    assert "Du får 900\u00a0kr." in mail.body_text
    assert "Skälet" not in mail.body_text


def test_a_rejection_mail_gives_the_reason_and_no_amount(client, login, unit, unit_staff, model):
    assignment = AssignmentFactory(status=AssignmentStatus.SIGNED, request__unit=unit, reference="LB-2026-0008-1")
    c = claim(session_of(assignment), kind=ClaimKind.PUBLIC_TRANSPORT, amount=Decimal("64"))
    login(client, unit_staff)
    url = reverse("compensation:claim", args=[c.pk])
    response = client.post(url, {"decision": "reject", "reason": ""})
    assert response.status_code == 400
    assert not OutboundEmail.objects.exists()
    client.post(url, {"decision": "reject", "reason": "Resan gjordes inte samma dag som tillfället."})
    c.refresh_from_db()
    assert c.status == ClaimStatus.REJECTED
    assert not FeeLine.objects.exists()
    mail = OutboundEmail.objects.get()
    assert mail.subject == "Din begäran om ersättning är inte godkänd (LB-2026-0008-1)"
    assert "Vi har inte godkänt din begäran." in mail.body_text
    assert "Skälet: Resan gjordes inte samma dag som tillfället." in mail.body_text
    assert "Så här har vi räknat" not in mail.body_text


def test_no_mail_without_an_address(model, coordinator):
    assignment = AssignmentFactory(status=AssignmentStatus.SIGNED, resource__email="")
    c = claim(session_of(assignment), amount=Decimal("500"))
    decide_claim(c, approve=True, reason="", actor=coordinator)
    assert [a for _k, a, _t in paid(c)] == [50000]
    assert not OutboundEmail.objects.exists()


def test_the_agreement_states_the_cap_per_day():
    from assignments.hooks import fee_text

    amount_model()
    assignment = AssignmentFactory(status=AssignmentStatus.SIGNED)
    session_of(assignment)
    assert "Förlorad arbetsinkomst ersätts mot intyg, högst 1\u00a0500\u00a0kr per dag." in fee_text(assignment)
