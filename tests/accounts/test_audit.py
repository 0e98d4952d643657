import pytest
from django.test import Client

from accounts.audit import MASK, log_action
from accounts.models import AuditEntry
from registry.models import ExperienceResource
from tests.factories import ExperienceResourceFactory


def test_change_of_personal_data_records_old_and_new_values(db):
    resource = ExperienceResourceFactory(phone="070-111 11 11")
    resource = ExperienceResource.objects.get(pk=resource.pk)

    resource.phone = "070-222 22 22"
    resource.save()

    entry = AuditEntry.objects.filter(action="registry.experienceresource.changed").get()
    assert entry.object_id == str(resource.pk)
    assert entry.data["changes"]["phone"] == ["070-111 11 11", "070-222 22 22"]
    assert set(entry.data["changes"]) == {"phone", "updated_at"}


def test_health_text_is_logged_as_changed_without_its_content(db):
    resource = ExperienceResource.objects.get(pk=ExperienceResourceFactory(story="Gammal berättelse").pk)

    resource.story = "Ny berättelse om min cancer"
    resource.save()

    entry = AuditEntry.objects.get(action="registry.experienceresource.changed")
    assert entry.data["changes"]["story"] == [MASK, MASK]
    assert "cancer" not in str(AuditEntry.objects.values_list("data", flat=True)[::1])


def test_create_and_delete_are_recorded(db):
    resource = ExperienceResourceFactory()
    pk = resource.pk
    resource.delete()
    actions = list(AuditEntry.objects.filter(object_id=str(pk)).order_by("id").values_list("action", flat=True))
    assert actions == ["registry.experienceresource.created", "registry.experienceresource.deleted"]


def test_password_is_never_logged(db):
    from tests.factories import UserFactory

    user = UserFactory()
    user.set_password("ett-nytt-hemligt-lösenord")
    user.save()
    assert "password" not in str(list(AuditEntry.objects.values_list("data", flat=True)))


def test_staff_view_of_profile_is_recorded_with_ip(coordinator, login):
    resource = ExperienceResourceFactory()
    client = Client(REMOTE_ADDR="10.1.2.3")
    login(client, coordinator)

    response = client.get(f"/samordning/resurser/{resource.pk}/")

    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="registry.experienceresource.viewed")
    assert entry.actor == coordinator
    assert entry.actor_label == coordinator.email
    assert entry.object_id == str(resource.pk)
    assert entry.ip_address == "10.1.2.3"


def test_refused_view_records_nothing(client, unit_staff, login):
    resource = ExperienceResourceFactory()
    login(client, unit_staff)
    assert client.get(f"/samordning/resurser/{resource.pk}/").status_code == 403
    assert not AuditEntry.objects.filter(action="registry.experienceresource.viewed").exists()


def test_change_through_a_request_records_who_and_from_where(administrator, outsider, login):
    client = Client(REMOTE_ADDR="10.9.8.7")
    login(client, administrator)

    response = client.post(
        f"/admin/accounts/user/{outsider.pk}/change/",
        {
            "email": outsider.email,
            "full_name": "Nytt Namn",
            "is_active": "on",
            "role_grants-TOTAL_FORMS": "0",
            "role_grants-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="accounts.user.changed", object_id=str(outsider.pk))
    assert entry.actor == administrator
    assert entry.ip_address == "10.9.8.7"
    assert entry.data["changes"]["full_name"][1] == "Nytt Namn"


def test_log_cannot_be_changed_or_deleted(db):
    entry = log_action("test.event", data={"a": 1})
    entry.action = "tampered"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.update(action="x")
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.event"


def test_administrator_reads_and_filters_the_log(client, administrator, login):
    log_action("requests.request.declined", data={})
    log_action("registry.experienceresource.viewed", data={})
    login(client, administrator)

    response = client.get("/granskningslogg/", {"action": "declined"})

    assert response.status_code == 200
    assert [e.action for e in response.context["object_list"]] == ["requests.request.declined"]


def test_admin_site_offers_no_way_to_edit_the_log(client, administrator, login):
    entry = log_action("test.event")
    login(client, administrator)
    assert client.get("/admin/accounts/auditentry/").status_code == 200
    assert client.get(f"/admin/accounts/auditentry/{entry.pk}/delete/").status_code == 403
    response = client.post(f"/admin/accounts/auditentry/{entry.pk}/change/", {"action": "x"})
    assert response.status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.event"


def test_many_to_many_changes_are_recorded(db):
    from registry.models import ExperienceArea

    resource = ExperienceResourceFactory()
    diabetes = ExperienceArea.objects.get(slug="diabetes")

    resource.areas.add(diabetes)
    resource.areas.remove(diabetes)

    entries = AuditEntry.objects.filter(action="registry.experienceresource.changed").order_by("id")
    assert [e.data["changes"] for e in entries] == [{"areas": {"added": [diabetes.pk]}}, {"areas": {"removed": [diabetes.pk]}}]


def test_createsuperuser_makes_an_administrator(db):
    from django.core.management import call_command

    from accounts.enums import Role
    from accounts.models import User

    call_command("createsuperuser", email="forsta.admin@regionexempel.se", interactive=False, verbosity=0)
    user = User.objects.get(email="forsta.admin@regionexempel.se")
    assert user.roles == frozenset({Role.ADMINISTRATOR})
    assert user.is_staff
