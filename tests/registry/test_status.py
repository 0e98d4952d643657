import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import AuditEntry
from registry.enums import TRANSITIONS, ResourceStatus
from registry.services import TransitionError, book_intake, set_resource_status
from tests.factories import ExperienceResourceFactory

ALL = list(ResourceStatus)
ALLOWED = [(old, new) for old in ALL for new in TRANSITIONS[old]]
REFUSED = [(old, new) for old in ALL for new in ALL if new not in TRANSITIONS[old]]


@pytest.mark.parametrize(("old", "new"), ALLOWED)
def test_allowed_transitions_are_saved_and_logged(coordinator, old, new):
    resource = ExperienceResourceFactory(status=old)
    set_resource_status(resource, new, actor=coordinator, reason="Ett skäl")
    resource.refresh_from_db()
    assert resource.status == new
    entry = AuditEntry.objects.get(action=f"registry.resource.{new}", object_id=str(resource.pk))
    assert entry.actor == coordinator
    assert entry.data["from"] == old


@pytest.mark.parametrize(("old", "new"), REFUSED)
def test_refused_transitions_change_nothing(coordinator, old, new):
    resource = ExperienceResourceFactory(status=old)
    with pytest.raises(TransitionError):
        set_resource_status(resource, new, actor=coordinator, reason="Ett skäl")
    resource.refresh_from_db()
    assert resource.status == old


@pytest.mark.parametrize("new", [ResourceStatus.REJECTED, ResourceStatus.LEFT])
def test_reject_and_leave_require_a_reason(coordinator, new):
    old = ResourceStatus.APPLIED if new == ResourceStatus.REJECTED else ResourceStatus.ACTIVE
    resource = ExperienceResourceFactory(status=old)
    with pytest.raises(TransitionError, match="Skriv ett skäl"):
        set_resource_status(resource, new, actor=coordinator, reason="  ")
    resource.refresh_from_db()
    assert resource.status == old


def test_activation_sends_a_welcome_mail(coordinator, django_capture_on_commit_callbacks):
    resource = ExperienceResourceFactory(status=ResourceStatus.INTAKE_BOOKED)
    with django_capture_on_commit_callbacks(execute=True):
        set_resource_status(resource, ResourceStatus.ACTIVE, actor=coordinator)
    assert [m.subject for m in mail.outbox] == ["Nu är du med i Levande bibliotek"]


def test_booking_intake_sends_calendar_file(coordinator, django_capture_on_commit_callbacks):
    resource = ExperienceResourceFactory(status=ResourceStatus.APPLIED)
    starts = timezone.make_aware(dt.datetime(2026, 12, 13, 10, 30), timezone.get_fixed_timezone(60))
    with django_capture_on_commit_callbacks(execute=True):
        book_intake(resource, actor=coordinator, starts_at=starts, place="Vårdcentralen Ekholmen, rum 3")

    resource.refresh_from_db()
    assert resource.status == ResourceStatus.INTAKE_BOOKED
    message = mail.outbox[0]
    assert "söndag 13 december 2026 kl. 10:30" in message.body
    filename, content, mimetype = message.attachments[0]
    assert (filename, mimetype) == ("introduktionssamtal.ics", "text/calendar")
    assert "DTSTART:20261213T093000Z" in content
    assert "LOCATION:Vårdcentralen Ekholmen\\, rum 3" in content
    assert content.endswith("END:VCALENDAR\r\n")


def test_intake_cannot_be_booked_for_an_active_person(coordinator):
    resource = ExperienceResourceFactory(status=ResourceStatus.ACTIVE)
    with pytest.raises(TransitionError):
        book_intake(resource, actor=coordinator, starts_at=timezone.now() + dt.timedelta(days=1), place="Här")


def test_coordinator_changes_status_in_the_browser_and_sees_the_timeline(client, coordinator, login):
    resource = ExperienceResourceFactory(status=ResourceStatus.APPLIED)
    login(client, coordinator)

    response = client.post(
        f"/samordning/resurser/{resource.pk}/status/", {"status": "rejected", "reason": "Bor utanför regionen"}
    )

    assert response.status_code == 302
    page = client.get(f"/samordning/resurser/{resource.pk}/").content.decode()
    assert "Anmälan avböjdes" in page
    assert "Bor utanför regionen" in page


def test_illegal_change_in_the_browser_gets_a_clear_message(client, coordinator, login):
    resource = ExperienceResourceFactory(status=ResourceStatus.LEFT)
    login(client, coordinator)
    response = client.post(f"/samordning/resurser/{resource.pk}/status/", {"status": "active"}, follow=True)
    assert "Det går inte att ändra status från ”Har lämnat” till ”Aktiv”." in response.content.decode()


def test_intake_form_error_keeps_input(client, coordinator, login):
    resource = ExperienceResourceFactory(status=ResourceStatus.APPLIED)
    login(client, coordinator)
    response = client.post(f"/samordning/resurser/{resource.pk}/samtal/", {"starts_at": "2020-01-01T10:00", "place": "Rum 12"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Välj en tid som inte har passerat." in page
    assert 'value="Rum 12"' in page


def test_notes_are_for_coordinators_only(client, coordinator, unit_staff, login):
    resource = ExperienceResourceFactory()
    login(client, coordinator)
    client.post(f"/samordning/resurser/{resource.pk}/anteckningar/", {"notes": "Vill inte ringas före tio"})
    resource.refresh_from_db()
    assert resource.coordinator_notes == "Vill inte ringas före tio"
    login(client, unit_staff)
    assert client.post(f"/samordning/resurser/{resource.pk}/anteckningar/", {"notes": "x"}).status_code == 403
    resource.refresh_from_db()
    assert resource.coordinator_notes == "Vill inte ringas före tio"


def test_unknown_id_is_404(client, coordinator, login):
    login(client, coordinator)
    assert client.post("/samordning/resurser/999999/status/", {"status": "active"}).status_code == 404


def test_a_rejection_without_a_reason_says_so_beside_the_field(client, coordinator, login):
    resource = ExperienceResourceFactory(status=ResourceStatus.APPLIED)
    login(client, coordinator)

    response = client.post(f"/samordning/resurser/{resource.pk}/status/", {"status": "rejected", "reason": " "})

    assert response.status_code == 400
    page = response.content.decode()
    assert 'aria-describedby="reason-rejected-error"' in page
    assert '<div class="invalid-feedback d-block mb-2" id="reason-rejected-error"><strong>Skriv ett skäl.</strong>' in page
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.APPLIED


@pytest.mark.parametrize(
    ("typed", "message"),
    [("", "Skriv datumet då utbildningen genomfördes."), ("13/12/2026", "Skriv ett giltigt datum, till exempel 2026-12-13.")],
)
def test_a_training_date_that_is_missing_or_wrong_says_so_beside_the_field(client, coordinator, login, typed, message):
    resource = ExperienceResourceFactory(status=ResourceStatus.ACTIVE, training_completed_on=None)
    login(client, coordinator)

    response = client.post(f"/samordning/resurser/{resource.pk}/utbildning/", {"completed_on": typed})

    assert response.status_code == 400
    field = response.content.decode().split('id="div_id_completed_on"')[1].split("</div> </div>")[0]
    assert message in field
    assert 'aria-invalid="true"' in field
    assert f'value="{typed}"' in field or not typed
    resource.refresh_from_db()
    assert resource.training_completed_on is None
