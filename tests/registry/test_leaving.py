import pytest

from accounts.models import AuditEntry, User
from registry.enums import ResourceStatus
from registry.models import AwayPeriod, ExperienceArea, ExperienceResource
from registry.services import confirm_leaving
from tests.factories import ExperienceResourceFactory


@pytest.fixture
def me(resource_user):
    resource = ExperienceResource.objects.get(user=resource_user)
    resource.areas.set([ExperienceArea.objects.get(slug="cancer")])
    AwayPeriod.objects.create(resource=resource, starts_on="2027-01-01", ends_on="2027-01-02")
    resource.phone = "070-999 99 99"
    resource.story = "Min berättelse om cancer"
    resource.coordinator_notes = "Ring efter lunch"
    resource.save()
    return resource


def test_resource_asks_to_leave_and_nothing_is_erased_yet(client, resource_user, me, login):
    login(client, resource_user)
    assert client.get("/mina-sidor/lamna/").status_code == 200
    client.post("/mina-sidor/lamna/", {"confirm": "yes"})
    me.refresh_from_db()
    assert me.leave_requested_at is not None
    assert me.first_name == "Anna"
    assert AuditEntry.objects.filter(action="registry.resource.leave_requested", object_id=str(me.pk)).exists()


def test_confirmed_leaving_erases_personal_data_and_keeps_counts(client, coordinator, resource_user, me, login):
    other = ExperienceResourceFactory(first_name="Gunnel")
    login(client, coordinator)

    response = client.post(f"/samordning/resurser/{me.pk}/avsluta/", {"reason": "Har bett att få lämna"})

    assert response.status_code == 302
    me.refresh_from_db()
    assert me.status == ResourceStatus.LEFT
    assert me.erased_at is not None
    assert (me.first_name, me.last_name, me.email, me.phone, me.story, me.coordinator_notes, me.birth_year) == (
        "Borttagen",
        f"#{me.pk}",
        "",
        "",
        "",
        "",
        None,
    )
    assert me.user is None
    assert not User.objects.filter(pk=resource_user.pk).exists()
    assert not AwayPeriod.objects.filter(resource=me).exists()
    # Anonymous counts survive: the row, its status and its experience area.
    assert ExperienceResource.objects.filter(status=ResourceStatus.LEFT, areas__slug="cancer").count() == 1
    # Nothing personal is left in the audit log either.
    log = str(list(AuditEntry.objects.values_list("data", "actor_label")))
    assert "070-999 99 99" not in log
    assert resource_user.email not in log
    assert "Anna Andersson" not in log
    # Others are untouched.
    other.refresh_from_db()
    assert other.first_name == "Gunnel"


def test_leaving_needs_a_reason(client, coordinator, me, login):
    login(client, coordinator)
    client.post(f"/samordning/resurser/{me.pk}/avsluta/", {"reason": ""})
    me.refresh_from_db()
    assert me.erased_at is None


def test_account_with_other_roles_is_kept_without_the_resource_role(coordinator, db):
    from accounts.enums import Role
    from tests.factories import UserFactory

    user = UserFactory(roles=[Role.RESOURCE, Role.UNIT_STAFF])
    resource = ExperienceResourceFactory(user=user)
    confirm_leaving(resource, actor=coordinator, reason="Vill lämna")
    user = User.objects.get(pk=user.pk)
    assert user.roles == frozenset({Role.UNIT_STAFF})


def test_only_coordinators_confirm(client, unit_staff, me, login):
    login(client, unit_staff)
    assert client.post(f"/samordning/resurser/{me.pk}/avsluta/", {"reason": "x"}).status_code == 403
    me.refresh_from_db()
    assert me.erased_at is None
