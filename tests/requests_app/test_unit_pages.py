import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from accounts.models import AuditEntry
from registry.models import ExperienceArea
from requests_app.enums import JoinStatus, RequestStatus
from requests_app.models import CareUnit, UnitJoinRequest, UnitRequest
from requests_app.validators import validate_cost_centre
from tests.factories import CareUnitFactory, Role, UnitRequestFactory, UserFactory, submitted_request


@pytest.fixture
def theirs(db):
    """Another unit's request, full of things that must not leak."""
    other_unit = CareUnitFactory(name="Hjärtcentrum")
    other = submitted_request(unit=other_unit, title="Hemlig hjärtstudie", contact_name="Olle Annan")
    other.attachment.save("x.pdf", ContentFile(b"%PDF-1.4 hemlig"), save=True)
    draft = UnitRequestFactory(unit=other_unit, title="Hemligt utkast")
    return other, draft


def unit_urls(pk):
    base = f"/verksamhet/forfragningar/{pk}"
    return {
        "get": [f"{base}/", f"{base}/andra/", f"{base}/bilaga/"],
        "post": [f"{base}/meddelande/", f"{base}/aterkalla/", f"{base}/kopiera/", f"{base}/andra/"],
    }


def test_another_units_requests_are_404_on_every_unit_url(client, login, unit_staff, theirs):
    login(client, unit_staff)
    for obj in theirs:
        urls = unit_urls(obj.pk)
        for url in urls["get"]:
            assert client.get(url).status_code == 404, url
        for url in urls["post"]:
            assert client.post(url, {"body": "x", "reason": "x", "title": "Kapad", "action": "draft"}).status_code == 404, url
    other, _draft = theirs
    other.refresh_from_db()
    assert other.status == RequestStatus.SUBMITTED
    assert other.messages.count() == 0
    assert UnitRequest.objects.filter(title="Kapad").count() == 0
    assert UnitRequest.objects.count() == 2  # no copy was made
    home = client.get("/verksamhet/").content.decode()
    assert "Hemlig" not in home


@pytest.mark.parametrize("who", ["resource", "finance", "outsider"])
def test_people_without_the_unit_role_are_refused(client, login, personas, theirs, who):
    login(client, personas[who])
    other, _draft = theirs
    assert client.get(f"/verksamhet/forfragningar/{other.pk}/").status_code == 403
    assert client.get("/verksamhet/forfragningar/ny/").status_code == 403


def test_the_unit_sees_its_requests_history_and_messages(client, login, unit_staff, unit, coordinator):
    req = submitted_request(unit=unit, created_by=unit_staff, title="Vår workshop")
    login(client, unit_staff)
    home = client.get("/verksamhet/")
    assert [r.title for r in home.context["requests"]] == ["Vår workshop"]
    page = client.get(f"/verksamhet/forfragningar/{req.pk}/")
    labels = [item["label"] for item in page.context["timeline"]]
    assert labels == ["Utkast skapat", "Skickades in"] or labels == ["Skickades in"]


def test_staff_of_two_units_see_both(client, login, unit_staff, unit):
    second = CareUnitFactory(name="Vårdcentralen")
    second.staff.add(unit_staff)
    submitted_request(unit=unit, title="Ett")
    submitted_request(unit=second, title="Två")
    login(client, unit_staff)
    assert sorted(r.title for r in client.get("/verksamhet/").context["requests"]) == ["Ett", "Två"]


def test_the_unit_withdraws_a_request_and_the_coordinators_hear(
    client, login, unit_staff, unit, django_capture_on_commit_callbacks
):
    req = submitted_request(unit=unit, created_by=unit_staff)
    login(client, unit_staff)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/verksamhet/forfragningar/{req.pk}/aterkalla/", {"reason": "Projektet är inställt"})
    req.refresh_from_db()
    assert req.status == RequestStatus.WITHDRAWN
    assert req.status_reason == "Projektet är inställt"
    assert [m.to for m in mail.outbox] == [["levandebibliotek@regionexempel.se"]]
    # Withdrawn is final: the button is gone and a second try changes nothing.
    page = client.get(f"/verksamhet/forfragningar/{req.pk}/")
    assert page.context["can_withdraw"] is False


def test_copy_an_old_request_as_a_new_draft(client, login, unit_staff, unit):
    old = submitted_request(unit=unit, created_by=unit_staff, title="Förra årets utbildning")
    old.areas.set([ExperienceArea.objects.get(slug="cancer")])
    old.attachment.save("x.pdf", ContentFile(b"%PDF-1.4"), save=True)
    login(client, unit_staff)

    response = client.post(f"/verksamhet/forfragningar/{old.pk}/kopiera/")

    copy = UnitRequest.objects.exclude(pk=old.pk).get()
    assert response.url == f"/verksamhet/forfragningar/{copy.pk}/andra/"
    assert copy.status == RequestStatus.DRAFT
    assert copy.reference is None
    assert copy.title == "Förra årets utbildning"
    assert [a.slug for a in copy.areas.all()] == ["cancer"]
    assert copy.starts_on is None and copy.reply_by is None  # new dates are needed
    assert not copy.attachment
    assert copy.copied_from == old


# --- units and their staff --------------------------------------------------------------


@pytest.fixture
def newcomer(db):
    return UserFactory(email="ny@regionexempel.se", roles=[Role.UNIT_STAFF])


def test_joining_an_existing_unit_waits_for_a_coordinator_and_shows_nothing_until_then(
    client, login, coordinator, newcomer, theirs, django_capture_on_commit_callbacks
):
    other, _draft = theirs
    login(client, newcomer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/verksamhet/anslut/", {"unit": other.unit.pk}, follow=True)

    page = response.content.decode()
    assert "En samordnare godkänner att du går med i Hjärtcentrum" in page
    assert "Väntar på godkännande att gå med i Hjärtcentrum" in page
    assert "Hemlig hjärtstudie" not in page
    assert list(newcomer.care_units.all()) == []
    join = UnitJoinRequest.objects.get()
    assert (join.kind, join.status, join.unit) == ("existing_unit", JoinStatus.PENDING, other.unit)
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["levandebibliotek@regionexempel.se"], "Vill gå med i Hjärtcentrum: godkänn eller avböj")
    ]
    for url in (f"/verksamhet/forfragningar/{other.pk}/", f"/verksamhet/forfragningar/{other.pk}/bilaga/"):
        assert client.get(url).status_code == 404

    login(client, coordinator)
    start = client.get("/samordning/").content.decode()
    assert "1 person vill gå med i en verksamhet" in start
    assert [j.pk for j in client.get("/samordning/verksamheter/").context["pending"]] == [join.pk]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/samordning/verksamheter/{join.pk}/beslut/", {"decision": "approve"})

    assert list(newcomer.care_units.all()) == [other.unit]
    assert [(m.to, m.subject) for m in mail.outbox] == [(["ny@regionexempel.se"], "Du är knuten till Hjärtcentrum")]
    assert AuditEntry.objects.filter(action="requests.unit.staff_joined").count() == 1
    login(client, newcomer)
    assert client.get(f"/verksamhet/forfragningar/{other.pk}/").status_code == 200


def test_asking_twice_to_join_asks_once(client, login, newcomer, unit):
    login(client, newcomer)
    client.post("/verksamhet/anslut/", {"unit": unit.pk})
    client.post("/verksamhet/anslut/", {"unit": unit.pk})
    assert UnitJoinRequest.objects.count() == 1


def test_a_declined_join_is_mailed_and_gives_nothing(
    client, login, coordinator, newcomer, unit, django_capture_on_commit_callbacks
):
    login(client, newcomer)
    client.post("/verksamhet/anslut/", {"unit": unit.pk})
    join = UnitJoinRequest.objects.get()
    login(client, coordinator)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/samordning/verksamheter/{join.pk}/beslut/", {"decision": "reject"})
    join.refresh_from_db()
    assert join.status == JoinStatus.REJECTED
    assert list(newcomer.care_units.all()) == []
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["ny@regionexempel.se"], "Du blev inte knuten till Diabetesmottagningen")
    ]


def test_staff_of_the_unit_cannot_approve_unless_the_region_allows_it(client, login, newcomer, unit, unit_staff):
    login(client, newcomer)
    client.post("/verksamhet/anslut/", {"unit": unit.pk})
    join = UnitJoinRequest.objects.get()
    login(client, unit_staff)
    assert "Vill gå med i er verksamhet" not in client.get("/verksamhet/").content.decode()
    assert client.post(f"/verksamhet/anslutningar/{join.pk}/beslut/", {"decision": "approve"}).status_code == 404
    assert client.post(f"/samordning/verksamheter/{join.pk}/beslut/", {"decision": "approve"}).status_code == 403
    join.refresh_from_db()
    assert join.status == JoinStatus.PENDING


def test_with_the_setting_on_a_member_of_the_unit_approves(
    client, login, newcomer, unit, unit_staff, settings, django_capture_on_commit_callbacks
):
    settings.UNIT_MEMBERS_APPROVE_JOINS = True
    login(client, newcomer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/verksamhet/anslut/", {"unit": unit.pk})
    join = UnitJoinRequest.objects.get()
    assert sorted(m.to[0] for m in mail.outbox) == ["levandebibliotek@regionexempel.se", "verksamhet@regionexempel.se"]
    # Neither the person who asked, nor staff of another unit, can approve it.
    assert client.post(f"/verksamhet/anslutningar/{join.pk}/beslut/", {"decision": "approve"}).status_code == 404
    stranger = UserFactory(email="annan@regionexempel.se", roles=[Role.UNIT_STAFF])
    CareUnitFactory(name="Annan").staff.add(stranger)
    login(client, stranger)
    assert client.post(f"/verksamhet/anslutningar/{join.pk}/beslut/", {"decision": "approve"}).status_code == 404

    login(client, unit_staff)
    assert "ny@regionexempel.se vill gå med i Diabetesmottagningen." in client.get("/verksamhet/").content.decode()
    client.post(f"/verksamhet/anslutningar/{join.pk}/beslut/", {"decision": "approve"})

    assert list(newcomer.care_units.all()) == [unit]
    join.refresh_from_db()
    assert (join.status, join.decided_by) == (JoinStatus.APPROVED, unit_staff)


def test_existing_memberships_stay(client, login, unit_staff, unit):
    request = submitted_request(unit=unit, title="Vår förfrågan")
    login(client, unit_staff)
    assert client.get(f"/verksamhet/forfragningar/{request.pk}/").status_code == 200


def test_asking_for_a_new_unit_which_a_coordinator_approves(client, login, coordinator, db, django_capture_on_commit_callbacks):
    newcomer = UserFactory(email="ny@regionexempel.se", roles=[Role.UNIT_STAFF])
    login(client, newcomer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/verksamhet/ny-verksamhet/",
            {"name": "Logopedmottagningen", "organisation": "Närsjukvården", "cost_centre": "48810", "postal_address": ""},
        )
    join = UnitJoinRequest.objects.get()
    assert join.status == JoinStatus.PENDING
    assert [m.to for m in mail.outbox] == [["levandebibliotek@regionexempel.se"]]
    assert newcomer.care_units.count() == 0

    login(client, coordinator)
    assert [j.name for j in client.get("/samordning/verksamheter/").context["pending"]] == ["Logopedmottagningen"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/samordning/verksamheter/{join.pk}/beslut/", {"decision": "approve"})

    unit = CareUnit.objects.get(name="Logopedmottagningen")
    assert list(unit.staff.all()) == [newcomer]
    assert [m.to for m in mail.outbox] == [["ny@regionexempel.se"]]


def test_a_new_unit_with_a_badly_formed_cost_centre_is_refused(client, login, db):
    newcomer = UserFactory(email="ny@regionexempel.se", roles=[Role.UNIT_STAFF])
    login(client, newcomer)
    response = client.post(
        "/verksamhet/ny-verksamhet/", {"name": "X", "organisation": "Y", "cost_centre": "abc", "postal_address": ""}
    )
    assert response.context["form"].errors["cost_centre"] == ["Kostnadsstället har fel format. Skriv det som i exemplet: 41230."]
    assert UnitJoinRequest.objects.count() == 0


def test_cost_centre_format_is_a_setting(settings):
    settings.COST_CENTRE_PATTERN = r"^[A-Z]{2}-\d{3}$"
    validate_cost_centre("AB-123")
    with pytest.raises(ValidationError):
        validate_cost_centre("41230")


def test_only_coordinators_approve_units(client, login, unit_staff):
    join = UnitJoinRequest.objects.create(user=unit_staff, name="X", organisation="Y", cost_centre="1234")
    login(client, unit_staff)
    assert client.post(f"/samordning/verksamheter/{join.pk}/beslut/", {"decision": "approve"}).status_code == 403
    join.refresh_from_db()
    assert join.status == JoinStatus.PENDING


def test_how_borrowing_works_is_public_and_leads_to_the_form(client, db):
    page = client.get("/sa-lanar-ni/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Ni skickar en förfrågan" in text
    assert "Vi följer upp" in text
    assert "/accounts/login/?next=/verksamhet/forfragningar/ny/" in text


def test_a_message_from_the_unit_too_long_comes_back_with_the_error_and_the_text(client, login, unit_staff, unit):
    req = submitted_request(unit=unit, created_by=unit_staff, title="Vår workshop")
    login(client, unit_staff)
    text = "Lång text. " * 500

    response = client.post(f"/verksamhet/forfragningar/{req.pk}/meddelande/", {"body": text})

    assert response.status_code == 400
    field = response.content.decode().split('id="div_id_body"')[1].split("</div> </div>")[0]
    assert text.strip() in field  # kept, in the textarea
    assert field.index(text.strip()) < field.index("</textarea>")
    assert "Texten får vara högst 5000 tecken. Nu är den 5499 tecken." in field
    assert not req.messages.exists()
