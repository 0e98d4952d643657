import uuid

import pytest
from django.core import mail
from django.test import Client

from accounts.enums import Role
from accounts.models import AuditEntry, User
from registry.consent import CONSENT_VERSION
from registry.enums import ResourceStatus
from registry.models import ExperienceArea, ExperienceResource, Perspective


def application(**overrides):
    data = {
        "first_name": "Karin",
        "last_name": "Lind",
        "email": "Karin.Lind@exempel.se",
        "phone": "",
        "preferred_contact": "email",
        "perspectives": [Perspective.objects.get(code="relative").pk],
        "areas": [ExperienceArea.objects.get(slug="demens").pk],
        "story": "Min mamma hade demens i många år.",
        "contribution_types": [],
        "languages": "svenska",
        "municipality": "Motala",
        "birth_year": "1958",
        "support_needs": "",
        "consent": "on",
        "webbplats": "",
        "token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def post(client, data):
    return client.post("/bli-erfarenhetsresurs/", data)


def test_application_creates_a_person_an_account_and_a_mail(client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, application())

    assert response.status_code == 302
    assert response.url == "/bli-erfarenhetsresurs/tack/"
    resource = ExperienceResource.objects.get()
    assert resource.status == ResourceStatus.APPLIED
    assert resource.email == "karin.lind@exempel.se"
    assert resource.consent_version == CONSENT_VERSION
    assert resource.consent_at is not None
    assert list(resource.areas.values_list("slug", flat=True)) == ["demens"]
    assert resource.user.roles == frozenset({Role.RESOURCE})
    assert not resource.user.has_usable_password()
    assert [m.subject for m in mail.outbox] == ["Tack för din anmälan till Levande bibliotek"]
    assert AuditEntry.objects.filter(action="registry.resource.applied", object_id=str(resource.pk)).exists()


def test_invalid_application_shows_errors_next_to_fields_and_keeps_input(client, db):
    response = post(client, application(first_name="", email="", phone="", birth_year="58", consent=""))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["first_name"] == ["Detta fält måste fyllas i."]
    assert form.errors["email"] == ["Fyll i e-post eller telefon så att vi kan nå dig."]
    assert form.errors["birth_year"] == ["Skriv födelseåret med fyra siffror, till exempel 1956."]
    assert form.errors["consent"] == ["Du behöver samtycka för att kunna anmäla dig."]
    page = response.content.decode()
    assert "Min mamma hade demens i många år." in page
    assert 'value="Lind"' in page
    assert ExperienceResource.objects.count() == 0


def test_applying_twice_with_same_email_makes_no_second_person(client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post(client, application())
        response = post(client, application(email="karin.lind@EXEMPEL.se", first_name="Någon", story="annat"))

    assert response.url == "/bli-erfarenhetsresurs/tack/"  # the same page: nobody learns who is registered
    assert ExperienceResource.objects.count() == 1
    assert ExperienceResource.objects.get().first_name == "Karin"
    assert [m.subject for m in mail.outbox] == [
        "Tack för din anmälan till Levande bibliotek",
        "Du finns redan hos Levande bibliotek",
    ]


def test_double_click_makes_one_record_and_one_mail(client, db, django_capture_on_commit_callbacks):
    data = application(email="", phone="070-123 45 67", preferred_contact="phone")
    with django_capture_on_commit_callbacks(execute=True):
        post(client, data)
        post(client, data)
    assert ExperienceResource.objects.count() == 1
    assert mail.outbox == []  # no e-mail address, no mail


def test_honeypot_pretends_success_and_stores_nothing(client, db):
    response = post(client, application(webbplats="http://spam.example"))
    assert response.url == "/bli-erfarenhetsresurs/tack/"
    assert ExperienceResource.objects.count() == 0


def test_rate_limit_per_ip_keeps_what_was_typed(db):
    client = Client(REMOTE_ADDR="10.0.0.9")
    for i in range(10):
        post(client, application(email=f"p{i}@exempel.se"))
    response = post(client, application(email="sist@exempel.se", first_name="Sista"))
    assert response.status_code == 200
    assert "Vänta en stund" in response.content.decode()
    assert 'value="Sista"' in response.content.decode()
    assert ExperienceResource.objects.count() == 10


@pytest.fixture
def behind_the_proxy(settings):
    # As in production: one TLS proxy in front, which appends the visitor's address.
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXY_COUNT = 1


def test_writing_x_forwarded_for_does_not_dodge_the_limit(behind_the_proxy, db):
    for i in range(12):
        client = Client(REMOTE_ADDR="172.18.0.2", HTTP_X_FORWARDED_FOR=f"10.66.0.{i}, 198.51.100.7")
        post(client, application(email=f"p{i}@exempel.se"))
    assert ExperienceResource.objects.count() == 10


def test_people_behind_the_same_proxy_are_limited_one_by_one(behind_the_proxy, db):
    for i in range(12):
        client = Client(REMOTE_ADDR="172.18.0.2", HTTP_X_FORWARDED_FOR=f"198.51.100.{i + 1}")
        assert post(client, application(email=f"p{i}@exempel.se")).status_code == 302
    assert ExperienceResource.objects.count() == 12


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.UNIT_STAFF])
def test_an_application_never_touches_an_existing_account(client, db, role, django_capture_on_commit_callbacks):
    from tests.factories import UserFactory

    user = UserFactory(email="karin.lind@exempel.se", full_name="Karin i personalen", roles=[role])
    before = (user.email, user.full_name, user.roles, user.password)

    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, application())

    assert response.url == "/bli-erfarenhetsresurs/tack/"  # the same page: nobody learns who has an account
    user = User.objects.get(pk=user.pk)
    assert (user.email, user.full_name, user.roles, user.password) == before
    assert ExperienceResource.objects.count() == 0
    assert [(m.to, m.subject) for m in mail.outbox] == [(["karin.lind@exempel.se"], "En anmälan med din e-postadress")]
    assert "inget har ändrats på ditt konto" in mail.outbox[0].body
    assert "Min mamma hade demens" not in mail.outbox[0].body


def test_coordinator_registering_with_a_staff_address_gives_that_account_no_resource_role(client, coordinator, login):
    from tests.factories import UserFactory

    colleague = UserFactory(email="kollega@regionexempel.se", roles=[Role.FINANCE])
    login(client, coordinator)
    client.post("/samordning/resurser/ny/", application(email=colleague.email))
    resource = ExperienceResource.objects.get()
    assert resource.user is None
    assert User.objects.get(pk=colleague.pk).roles == frozenset({Role.FINANCE})


@pytest.mark.parametrize("url", ["/bli-erfarenhetsresurs/", "/bli-erfarenhetsresurs/tack/"])
def test_public_pages_need_no_account(client, db, url):
    assert client.get(url).status_code == 200


def test_coordinator_registers_someone_without_email(client, coordinator, login):
    login(client, coordinator)
    response = client.post("/samordning/resurser/ny/", application(email="", phone="013-12 34 56", preferred_contact="phone"))
    resource = ExperienceResource.objects.get()
    assert response.url == f"/samordning/resurser/{resource.pk}/"
    assert resource.entered_by == coordinator
    assert resource.user is None
    page = client.get(response.url).content.decode()
    assert f"Registrerad av {coordinator}" in page


def test_only_coordinators_register_on_behalf(client, unit_staff, login):
    login(client, unit_staff)
    assert client.get("/samordning/resurser/ny/").status_code == 403
