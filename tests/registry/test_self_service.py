import pytest

from accounts.models import AuditEntry
from registry.enums import ResourceStatus
from registry.models import AwayPeriod, ExperienceArea, ExperienceResource, Perspective
from tests.factories import ExperienceResourceFactory, Role, UserFactory


@pytest.fixture
def me(resource_user):
    return ExperienceResource.objects.get(user=resource_user)


@pytest.fixture
def someone_else(db):
    other = ExperienceResourceFactory(first_name="Gunnel", story="Hemlig berättelse om min hjärtsjukdom")
    period = AwayPeriod.objects.create(resource=other, starts_on="2026-12-01", ends_on="2026-12-24")
    return other, period


def profile_data(**overrides):
    data = {
        "first_name": "Anna",
        "last_name": "Andersson",
        "phone": "070-555 55 55",
        "preferred_contact": "phone",
        "municipality": "Kinda",
        "languages": "svenska, engelska",
        "perspectives": [Perspective.objects.get(code="patient").pk],
        "areas": [ExperienceArea.objects.get(slug="smarta").pk],
        "story": "Ny berättelse",
        "contribution_types": [],
        "support_needs": "Hörslinga",
        "can_on_site": "",
        "can_digital": "on",
        "max_assignments_per_month": "2",
        "suitable_times": "Förmiddagar",
    }
    data.update(overrides)
    return data


def test_resource_edits_own_profile_and_it_is_audited(client, resource_user, me, login):
    login(client, resource_user)
    response = client.post("/mina-sidor/uppgifter/", profile_data())
    assert response.status_code == 302
    me.refresh_from_db()
    assert (me.phone, me.municipality, me.can_on_site, me.can_digital, me.max_assignments_per_month) == (
        "070-555 55 55",
        "Kinda",
        False,
        True,
        2,
    )
    assert list(me.areas.values_list("slug", flat=True)) == ["smarta"]
    entries = AuditEntry.objects.filter(action="registry.experienceresource.changed", object_id=str(me.pk))
    entry = next(e for e in entries if "phone" in e.data["changes"])
    assert entry.actor == resource_user
    assert entry.data["changes"]["phone"][1] == "070-555 55 55"
    assert entry.data["changes"]["story"] == ["•••", "•••"]


def test_profile_error_keeps_input(client, resource_user, me, login):
    login(client, resource_user)
    response = client.post("/mina-sidor/uppgifter/", profile_data(first_name="", suitable_times="Bara tisdagar"))
    assert response.status_code == 200
    assert response.context["form"].errors["first_name"] == ["Detta fält måste fyllas i."]
    assert 'value="Bara tisdagar"' in response.content.decode()


def test_away_periods_add_and_remove(client, resource_user, me, login):
    login(client, resource_user)
    client.post("/mina-sidor/uppgifter/borta/", {"starts_on": "2027-01-10", "ends_on": "2027-01-20", "note": "Resa"})
    period = AwayPeriod.objects.get(resource=me)
    response = client.post("/mina-sidor/uppgifter/borta/", {"starts_on": "2027-02-10", "ends_on": "2027-02-01"})
    assert response.status_code == 400
    assert "Slutdatumet kan inte vara före startdatumet." in response.content.decode()
    client.post(f"/mina-sidor/uppgifter/borta/{period.pk}/ta-bort/")
    assert not AwayPeriod.objects.filter(resource=me).exists()


def test_pause_and_resume(client, resource_user, me, login):
    login(client, resource_user)
    client.post("/mina-sidor/paus/", {"action": "pause"})
    me.refresh_from_db()
    assert me.status == ResourceStatus.PAUSED
    client.post("/mina-sidor/paus/", {"action": "resume"})
    me.refresh_from_db()
    assert me.status == ResourceStatus.ACTIVE


def test_someone_elses_away_period_is_404_and_untouched(client, resource_user, me, someone_else, login):
    _other, period = someone_else
    login(client, resource_user)
    assert client.post(f"/mina-sidor/uppgifter/borta/{period.pk}/ta-bort/").status_code == 404
    assert AwayPeriod.objects.filter(pk=period.pk).exists()


def test_own_pages_never_show_someone_else(client, resource_user, me, someone_else, login):
    login(client, resource_user)
    for url in ["/mina-sidor/", "/mina-sidor/uppgifter/"]:
        page = client.get(url).content.decode()
        assert "Gunnel" not in page
        assert "hjärtsjukdom" not in page


@pytest.mark.parametrize("url", ["/mina-sidor/uppgifter/", "/mina-sidor/paus/", "/mina-sidor/uppgifter/borta/1/ta-bort/"])
def test_resource_pages_refuse_other_roles(client, unit_staff, login, url):
    login(client, unit_staff)
    assert client.post(url).status_code == 403


def test_resource_role_without_profile_gets_404(client, db, login):
    user = UserFactory(roles=[Role.RESOURCE])
    login(client, user)
    assert client.get("/mina-sidor/uppgifter/").status_code == 404


def test_coordinator_timeline_names_changed_fields_as_the_form_does(client, login, resource_user, me, coordinator):
    login(client, resource_user)
    client.post("/mina-sidor/uppgifter/", profile_data(phone="070-111 11 11"))
    login(client, coordinator)

    timeline = client.get(f"/samordning/resurser/{me.pk}/").context["timeline"]

    # The form's own labels (capitalised or not, as the form has them), never the model's field names.
    fields = {name.lower() for item in timeline if item["label"] == "Uppgifter ändrades" for name in item["fields"]}
    assert {"telefon", "erfarenhetsområden"} <= fields
    assert not {"phone", "areas"} & fields
