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


def test_erasure_ends_the_persons_event_and_yearly_links(client, coordinator, me, django_capture_on_commit_callbacks):
    from django.core import mail

    from registry import checks, events
    from registry.enums import RSVP
    from registry.models import EventInvitation, YearlyCheck
    from tests.factories import EventFactory

    event = EventFactory(created_by=coordinator, capacity=1)
    waiting = ExperienceResourceFactory(first_name="Väntande")
    with django_capture_on_commit_callbacks(execute=True):
        events.invite(event, [me, waiting], actor=coordinator)
    mine = EventInvitation.objects.get(resource=me)
    assert events.answer(mine, RSVP.YES, actor=None) == RSVP.YES
    assert events.answer(EventInvitation.objects.get(resource=waiting), RSVP.YES, actor=None) == RSVP.WAITLIST
    event_link = f"/traff/{events.answer_token(mine)}/"
    check = YearlyCheck.objects.create(resource=me, year=2026)
    check_link = f"/fortfarande-med/{checks.answer_token(check)}/"
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        confirm_leaving(me, actor=coordinator, reason="Har bett att få lämna")

    # The place goes to the first on the waiting list, and the links are dead.
    assert dict(event.invitations.values_list("resource_id", "response")) == {me.pk: RSVP.NO, waiting.pk: RSVP.YES}
    assert [m.to for m in mail.outbox] == [[waiting.email]]
    assert client.post(event_link, {"response": "yes"}).status_code == 400
    assert EventInvitation.objects.get(pk=mine.pk).response == RSVP.NO
    assert client.post(check_link, {"answer": "pause"}).status_code == 400
    check.refresh_from_db()
    assert check.answered_at is None
    assert check not in checks.unanswered_checks()


def test_event_links_end(client, coordinator, django_capture_on_commit_callbacks, settings):
    import time
    from datetime import timedelta
    from unittest import mock

    from django.utils import timezone

    from registry import events
    from registry.enums import RSVP
    from registry.models import Event, EventInvitation
    from tests.factories import EventFactory

    event = EventFactory(created_by=coordinator)
    person = ExperienceResourceFactory()
    events.invite(event, [person], actor=coordinator)
    invitation = EventInvitation.objects.get(resource=person)

    # A link older than EVENT_LINK_MAX_DAYS no longer works, even for an event still to come.
    long_ago = time.time() - (settings.EVENT_LINK_MAX_DAYS + 1) * 86400
    with mock.patch("time.time", return_value=long_ago):
        old_link = f"/traff/{events.answer_token(invitation)}/"
    assert client.post(old_link, {"response": "yes"}).status_code == 400
    fresh_link = f"/traff/{events.answer_token(invitation)}/"
    assert client.get(fresh_link).status_code == 200

    # And no link works once the event is over.
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    assert client.get(fresh_link).status_code == 400
    assert EventInvitation.objects.get(pk=invitation.pk).response == RSVP.PENDING
