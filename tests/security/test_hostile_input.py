"""Hostile values in forms give a form error, never a server error (SQLite and PostgreSQL)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from compensation.forms import PayeeForm
from compensation.models import FeeLine, NoFee
from insights.models import YearlyReport
from matching import services as matching
from matching.enums import InquiryStatus
from matching.models import Inquiry
from registry.models import ContributionType, EventInvitation, ExperienceArea, ExperienceResource, Perspective
from requests_app.enums import RequestStatus
from requests_app.models import UnitRequest
from tests.assignments.factories import AssignmentFactory
from tests.factories import EventFactory, ExperienceResourceFactory, active_resource, request_at
from tests.security.test_url_access import world as world

TOO_BIG = "9223372036854775808"  # one more than the largest 64-bit integer
NOT_INT = "²"  # passes str.isdigit(), fails int()
NUL = "skäl\x00med nolltecken"


@pytest.fixture
def taxonomy(db):
    return {
        "perspectives": Perspective.objects.first() or Perspective.objects.create(name="Patient"),
        "areas": ExperienceArea.objects.first() or ExperienceArea.objects.create(name="Diabetes"),
        "contribution_types": ContributionType.objects.first() or ContributionType.objects.create(name="Berätta"),
    }


def application(taxonomy, **overrides):
    data = {
        "first_name": "Eva",
        "last_name": "Ek",
        "email": "eva.ek@exempel.se",
        "preferred_contact": "email",
        "perspectives": [taxonomy["perspectives"].pk],
        "consent": "on",
        "token": "6f1c2d1e-1111-4a4a-9b9b-123456789abc",
    }
    return {**data, **overrides}


@pytest.mark.parametrize("field", ["perspectives", "areas", "contribution_types"])
@pytest.mark.parametrize("value", [TOO_BIG, NOT_INT, "-1", "abc"])
def test_application_form_refuses_a_number_no_database_stores(client, taxonomy, field, value):
    response = client.post("/bli-erfarenhetsresurs/", application(taxonomy, **{field: [value]}))

    assert response.status_code in (200, 400)
    assert field in response.context["form"].errors
    assert not ExperienceResource.objects.exists()


@pytest.mark.parametrize("field", ["perspectives", "areas", "contribution_types"])
def test_register_on_behalf_refuses_a_huge_number(client, login, coordinator, taxonomy, field):
    login(client, coordinator)
    response = client.post("/samordning/resurser/ny/", application(taxonomy, **{field: [TOO_BIG]}))

    assert response.status_code in (200, 400)
    assert field in response.context["form"].errors


@pytest.mark.parametrize("field", ["areas", "perspectives"])
def test_request_form_refuses_a_huge_number(client, login, unit, unit_staff, field):
    login(client, unit_staff)
    response = client.post("/verksamhet/forfragningar/ny/", {"unit": unit.pk, "action": "save", field: [TOO_BIG]})

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not UnitRequest.objects.exists()


# --- free text with a NUL byte (a server error on PostgreSQL) ------------------------------------


def test_unit_withdraw_reason_with_nul_is_refused(client, login, unit, unit_staff):
    req = request_at(RequestStatus.SUBMITTED, unit=unit, created_by=unit_staff)
    login(client, unit_staff)

    response = client.post(f"/verksamhet/forfragningar/{req.pk}/aterkalla/", {"reason": NUL})

    assert response.status_code == 400
    assert response.context["withdraw_form"].errors["reason"]
    assert "med nolltecken" in response.content.decode()  # what was typed is kept
    req.refresh_from_db()
    assert req.status == RequestStatus.SUBMITTED


def test_leaving_reason_with_nul_is_refused(client, login, coordinator):
    person = ExperienceResourceFactory()
    login(client, coordinator)

    response = client.post(f"/samordning/resurser/{person.pk}/avsluta/", {"reason": NUL}, follow=True)

    assert response.status_code == 200
    assert ExperienceResource.objects.get(pk=person.pk).first_name == person.first_name  # not erased


@pytest.fixture
def said_yes(coordinator, unit, unit_staff):
    req = request_at(RequestStatus.READY, unit=unit, created_by=unit_staff)
    inquiry = matching.send_inquiries(req, [active_resource()], deadline=timezone.now() + timedelta(days=5), actor=coordinator)[0]
    matching.answer(inquiry, yes=True, share_email=True)
    return inquiry


def test_cannot_anymore_reason_with_nul_is_refused_beside_the_field(client, login, coordinator, said_yes):
    login(client, coordinator)

    response = client.post(f"/samordning/forfragningar/{said_yes.request_id}/svar/{said_yes.pk}/kan-inte/", {"reason": NUL})

    assert response.status_code == 400
    assert response.context["withdraw_error"]
    assert Inquiry.objects.get(pk=said_yes.pk).status == InquiryStatus.YES


def test_shortlist_search_with_nul_or_too_long_is_an_error_beside_the_box(client, login, coordinator, unit, unit_staff):
    req = request_at(RequestStatus.READY, unit=unit, created_by=unit_staff)
    login(client, coordinator)

    for text in (NUL, "a" * 100_000):
        response = client.get(f"/samordning/forfragningar/{req.pk}/matchning/", {"sok": text})
        assert response.status_code == 200
        assert response.context["search_error"]
        assert response.context["found"] == []


# --- ids that pass isdigit() but not int(), and words where an id belongs ----------------------------


def test_choice_with_a_non_number_is_refused(client, login, coordinator, said_yes):
    login(client, coordinator)
    response = client.post(f"/samordning/forfragningar/{said_yes.request_id}/svar/bekrafta/", {"chosen": [NOT_INT]})

    assert response.status_code == 409
    assert Inquiry.objects.get(pk=said_yes.pk).status == InquiryStatus.YES


def test_attendance_with_a_non_number_is_refused(client, login, coordinator):
    now = timezone.now()
    event = EventFactory(created_by=coordinator, starts_at=now - timedelta(hours=3), ends_at=now - timedelta(hours=1))
    invitation = EventInvitation.objects.create(event=event, resource=ExperienceResourceFactory(), invited_by=coordinator)
    login(client, coordinator)

    response = client.post(f"/samordning/traffar/{event.pk}/narvaro/", {"attended": [invitation.pk, NOT_INT]}, follow=True)

    assert response.status_code == 200
    invitation.refresh_from_db()
    assert invitation.attended is None


@pytest.mark.parametrize("field", ["people", "person"])
def test_shortlist_with_a_non_number_is_refused(client, login, coordinator, unit, unit_staff, field):
    req = request_at(RequestStatus.READY, unit=unit, created_by=unit_staff)
    active_resource()
    login(client, coordinator)
    deadline = timezone.localtime(timezone.now() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    url = f"/samordning/forfragningar/{req.pk}/matchning/" + ("for-hand/" if field == "person" else "")

    response = client.post(url, {field: [NOT_INT], "deadline": deadline, "reason": "Hon ringde själv."})

    assert response.status_code == 400
    assert not Inquiry.objects.exists()


@pytest.mark.parametrize("value", ["abc", NOT_INT, TOO_BIG])
def test_hand_over_to_a_word_is_refused(client, login, coordinator, unit, unit_staff, value):
    req = request_at(RequestStatus.SUBMITTED, unit=unit, created_by=unit_staff)
    login(client, coordinator)

    response = client.post(f"/samordning/forfragningar/{req.pk}/ansvarig/", {"responsible": value, "version": req.version})

    assert response.status_code in (400, 404)
    req.refresh_from_db()
    assert req.responsible is None


# --- searches of any length ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "url", "param"),
    [
        ("coordinator", "/samordning/resurser/", "q"),
        ("coordinator", "/samordning/resurser/", "municipality"),
        ("coordinator", "/samordning/forfragningar/", "q"),
        ("administrator", "/granskningslogg/", "actor"),
    ],
)
def test_a_100000_character_search_is_an_error_not_a_crash(client, login, personas, persona, url, param):
    login(client, personas[persona])

    response = client.get(url, {param: "%a_" * 33_334})

    assert response.status_code == 200
    assert "Skriv högst 200 tecken i sökrutan." in response.content.decode()


# --- found by the generated suite (test_hostile_forms.py) ----------------------------------------------


@pytest.mark.parametrize("value", [TOO_BIG, NOT_INT])
def test_attest_with_an_id_no_database_stores_attests_nothing(client, login, coordinator, value):
    login(client, coordinator)

    response = client.post("/samordning/arvoden/", {"line": [value]})

    assert response.status_code == 302


def test_no_fee_with_a_nul_reason_or_a_word_for_next_is_refused(client, login, coordinator):

    assignment = AssignmentFactory()
    login(client, coordinator)

    response = client.post(f"/samordning/arvoden/uppdrag/{assignment.pk}/inget-arvode/", {"reason": NUL, "next": "-1"})

    assert response.status_code == 302
    assert response.url == "/samordning/arvoden/"
    assert not NoFee.objects.exists()
    response = client.post(f"/samordning/arvoden/uppdrag/{assignment.pk}/inget-arvode/", {"reason": "  Ideellt.  "})
    assert NoFee.objects.get().reason == "Ideellt."


@pytest.mark.parametrize("year", [NOT_INT, "0", "9999", TOO_BIG])
def test_yearly_report_for_a_year_no_date_holds_is_refused(client, login, coordinator, year):

    login(client, coordinator)

    token = "6f1c2d1e-1111-4a4a-9b9b-123456789abc"
    response = client.post("/samordning/arsrapporter/ny/", {"year": year, "submission_token": token})
    assert response.status_code == 400
    assert "year" in response.context["form"].errors
    assert not YearlyReport.objects.exists()
    assert client.get("/samordning/arsrapporter/", {"year": year}).status_code == 200


@pytest.mark.parametrize("code", ["²²²²²", "١٢٣٤٥"])
def test_postal_code_in_other_digits_is_refused(db, code):
    form = PayeeForm(data={"postal_code": code})

    form.is_valid()
    assert "postal_code" in form.errors


def test_reversing_a_paid_line_with_a_nul_reason_is_refused(client, login, finance, world):

    line = FeeLine.objects.get(pk=world["fee_line"])
    login(client, finance)

    response = client.post(f"/ekonomi/rader/{line.pk}/aterfor/", {"reason": NUL}, follow=True)

    assert response.status_code == 200
    assert not FeeLine.objects.filter(reverses=line).exists()
