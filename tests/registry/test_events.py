from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import AuditEntry
from registry import events
from registry.enums import RSVP, EventKind, ResourceStatus
from registry.models import AwayPeriod, Event, EventInvitation, ExperienceArea, ExperienceResource
from tests.factories import EventFactory, ExperienceResourceFactory


def link_token(message) -> str:
    return message.body.split("/traff/")[1].split("/")[0]


@pytest.fixture
def me(resource_user):
    return ExperienceResource.objects.get(user=resource_user)


@pytest.fixture
def event(db, coordinator):
    return EventFactory(created_by=coordinator)


def event_form(**overrides):
    day = timezone.localdate() + timedelta(days=10)
    data = {
        "kind": "network",
        "title": "Nätverksträff i december",
        "day": day.isoformat(),
        "start_time": "13:00",
        "end_time": "15:30",
        "place": "Hälsans hus, Linköping",
        "link": "",
        "description": "Fika och erfarenhetsutbyte.",
        "capacity": "12",
        "token": "7b1c1d4e-2a3b-4c5d-8e9f-0a1b2c3d4e5f",
    }
    data.update(overrides)
    return data


# --- creating events -------------------------------------------------------------------


def test_coordinator_creates_event_and_a_double_click_makes_one(client, coordinator, login):
    login(client, coordinator)
    first = client.post("/samordning/traffar/ny/", event_form())
    second = client.post("/samordning/traffar/ny/", event_form())

    event = Event.objects.get()
    assert first.url == second.url == f"/samordning/traffar/{event.pk}/"
    local = timezone.localtime(event.starts_at)
    assert (local.hour, local.minute) == (13, 0)
    assert timezone.localtime(event.ends_at).time().isoformat() == "15:30:00"
    assert event.created_by == coordinator
    assert AuditEntry.objects.filter(action="registry.event.created").count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"end_time": "12:00"}, "end_time", "Sluttiden måste vara efter starttiden."),
        ({"place": "", "link": ""}, "place", "Skriv var träffen är, eller ange en länk till det digitala mötet."),
        ({"day": "2020-01-01"}, "day", "Välj ett datum som inte har passerat."),
        ({"title": ""}, "title", "Detta fält måste fyllas i."),
        ({"link": "inte en länk"}, "link", "Fyll i en giltig URL."),
    ],
)
def test_event_form_errors_are_shown_next_to_the_field(client, coordinator, login, overrides, field, message):
    login(client, coordinator)
    response = client.post("/samordning/traffar/ny/", event_form(**overrides))

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert "Fika och erfarenhetsutbyte." in response.content.decode()  # what was typed is kept
    assert Event.objects.count() == 0


def test_edit_keeps_the_event_and_logs_the_change(client, coordinator, login, event):
    login(client, coordinator)
    form = client.get(f"/samordning/traffar/{event.pk}/andra/").context["form"]
    assert form.initial["day"] == timezone.localtime(event.starts_at).date()

    client.post(f"/samordning/traffar/{event.pk}/andra/", event_form(title="Ny rubrik", token=""))

    event.refresh_from_db()
    assert event.title == "Ny rubrik"
    assert Event.objects.count() == 1
    assert AuditEntry.objects.filter(action="registry.event.changed").count() == 1


# --- inviting --------------------------------------------------------------------------


def test_invite_all_reaches_active_people_who_are_free_once(
    client, coordinator, login, event, django_capture_on_commit_callbacks
):
    active = ExperienceResourceFactory(first_name="Aktiv")
    ExperienceResourceFactory(status=ResourceStatus.PAUSED)
    ExperienceResourceFactory(status=ResourceStatus.APPLIED)
    away = ExperienceResourceFactory()
    day = timezone.localtime(event.starts_at).date()
    AwayPeriod.objects.create(resource=away, starts_on=day - timedelta(days=1), ends_on=day + timedelta(days=1))
    login(client, coordinator)

    assert client.get(f"/samordning/traffar/{event.pk}/").context["candidate_count"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/samordning/traffar/{event.pk}/bjud-in/")
        client.post(f"/samordning/traffar/{event.pk}/bjud-in/")

    assert [i.resource for i in event.invitations.all()] == [active]
    assert [m.to for m in mail.outbox] == [[active.email]]
    message = mail.outbox[0]
    assert message.subject == f"Inbjudan: {event.title}"
    assert "/traff/" in message.body
    assert message.attachments[0][0] == "traff.ics"
    assert "BEGIN:VEVENT" in message.attachments[0][1]


def test_invite_a_filtered_selection(client, coordinator, login, event, django_capture_on_commit_callbacks):
    diabetes = ExperienceArea.objects.get(slug="diabetes")
    chosen = ExperienceResourceFactory()
    chosen.areas.set([diabetes])
    ExperienceResourceFactory()  # another area
    trained = ExperienceResourceFactory(training_completed_on=date(2026, 1, 10))
    trained.areas.set([diabetes])
    login(client, coordinator)

    page = client.get(f"/samordning/traffar/{event.pk}/", {"inv-area": diabetes.pk, "inv-trained": "false"})
    assert page.context["candidate_count"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/samordning/traffar/{event.pk}/bjud-in/", {"inv-area": diabetes.pk, "inv-trained": "false"})

    assert [i.resource for i in event.invitations.all()] == [chosen]


def test_no_invitations_to_a_cancelled_event(event, coordinator):
    ExperienceResourceFactory()
    events.cancel_event(event, actor=coordinator, reason="Sjukdom")
    with pytest.raises(events.EventError):
        events.invite(event, ExperienceResource.objects.all(), actor=coordinator)
    assert EventInvitation.objects.count() == 0


# --- answering -------------------------------------------------------------------------


@pytest.fixture
def invited(event, coordinator, django_capture_on_commit_callbacks):
    person = ExperienceResourceFactory()
    with django_capture_on_commit_callbacks(execute=True):
        events.invite(event, [person], actor=coordinator)
    return EventInvitation.objects.get(resource=person)


def test_answer_through_the_mailed_link_without_signing_in(client, invited):
    url = f"/traff/{link_token(mail.outbox[0])}/"
    page = client.get(url)
    assert page.status_code == 200
    assert invited.event.title in page.content.decode()

    response = client.post(url, {"response": "yes"})

    assert "Tack! Vi ses på träffen." in response.content.decode()
    invited.refresh_from_db()
    assert invited.response == RSVP.YES
    entry = AuditEntry.objects.get(action="registry.resource.event_answered")
    assert entry.data == {"event": invited.event.title, "response": "yes"}
    # The answer can be changed until the event starts.
    client.post(url, {"response": "no"})
    invited.refresh_from_db()
    assert invited.response == RSVP.NO


def test_a_forged_link_changes_nothing(client, invited):
    token = link_token(mail.outbox[0])
    response = client.post(f"/traff/{token[:-2]}xx/", {"response": "yes"})
    assert response.status_code == 400
    invited.refresh_from_db()
    assert invited.response == RSVP.PENDING


def test_no_answers_once_the_event_has_started(client, invited):
    Event.objects.filter(pk=invited.event_id).update(starts_at=timezone.now() - timedelta(minutes=5))
    response = client.post(f"/traff/{link_token(mail.outbox[0])}/", {"response": "yes"})
    assert response.status_code == 400
    assert "träffen har redan börjat" in response.content.decode()
    invited.refresh_from_db()
    assert invited.response == RSVP.PENDING


def test_full_event_puts_people_on_the_waiting_list_and_a_no_gives_the_place_on(
    event, coordinator, django_capture_on_commit_callbacks
):
    event.capacity = 1
    event.save()
    first, second, third = ExperienceResourceFactory.create_batch(3)
    with django_capture_on_commit_callbacks(execute=True):
        events.invite(event, [first, second, third], actor=coordinator)
    inv = {i.resource_id: i for i in event.invitations.all()}

    assert events.answer(inv[first.pk], "yes", actor=None) == RSVP.YES
    assert events.answer(inv[second.pk], "yes", actor=None) == RSVP.WAITLIST
    assert events.answer(inv[third.pk], "yes", actor=None) == RSVP.WAITLIST
    assert events.places_left(event) == 0

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        events.answer(inv[first.pk], "no", actor=None)

    statuses = dict(event.invitations.values_list("resource_id", "response"))
    assert statuses == {first.pk: RSVP.NO, second.pk: RSVP.YES, third.pk: RSVP.WAITLIST}
    assert [m.to for m in mail.outbox] == [[second.email]]
    assert mail.outbox[0].subject == f"Du har fått en plats: {event.title}"


def test_answer_on_own_page(client, login, resource_user, me, event, coordinator):
    events.invite(event, [me], actor=coordinator)
    invitation = EventInvitation.objects.get(resource=me)
    login(client, resource_user)
    home = client.get("/mina-sidor/")
    assert home.context["unanswered_invitations"] == 1

    response = client.post(f"/mina-sidor/traffar/{invitation.pk}/svar/", {"response": "yes"}, follow=True)

    assert "Tack! Vi ses på träffen." in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.response == RSVP.YES
    assert client.get("/mina-sidor/").context["unanswered_invitations"] == 0
    assert event.title in client.get("/mina-sidor/traffar/").content.decode()


def test_someone_elses_invitation_is_a_404(client, login, resource_user, me, event, coordinator):
    other = ExperienceResourceFactory(first_name="Gunnel")
    events.invite(event, [me, other], actor=coordinator)
    theirs = EventInvitation.objects.get(resource=other)
    login(client, resource_user)

    response = client.post(f"/mina-sidor/traffar/{theirs.pk}/svar/", {"response": "no"})

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.response == RSVP.PENDING
    assert "Gunnel" not in client.get("/mina-sidor/traffar/").content.decode()


# --- attendance and cancelling ---------------------------------------------------------


def test_attendance_at_a_training_records_the_training(client, coordinator, login, event):
    came, stayed_home = ExperienceResourceFactory.create_batch(2)
    events.invite(event, [came, stayed_home], actor=coordinator)
    Event.objects.filter(pk=event.pk).update(
        kind=EventKind.TRAINING, starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    event.refresh_from_db()
    came_invitation = EventInvitation.objects.get(resource=came)
    login(client, coordinator)

    client.post(f"/samordning/traffar/{event.pk}/narvaro/", {"attended": [came_invitation.pk]})

    came.refresh_from_db()
    stayed_home.refresh_from_db()
    assert came.training_completed_on == timezone.localtime(event.starts_at).date()
    assert stayed_home.training_completed_on is None
    assert dict(event.invitations.values_list("resource_id", "attended")) == {came.pk: True, stayed_home.pk: False}
    person_page = client.get(f"/samordning/resurser/{came.pk}/").content.decode()
    assert event.title in person_page
    assert "var med" in person_page


def test_attendance_cannot_be_recorded_before_the_event(event, coordinator):
    person = ExperienceResourceFactory()
    events.invite(event, [person], actor=coordinator)
    with pytest.raises(events.EventError):
        events.record_attendance(event, {event.invitations.get().pk}, actor=coordinator)
    assert event.invitations.get().attended is None


def test_cancel_tells_everyone_who_did_not_say_no(client, coordinator, login, event, django_capture_on_commit_callbacks):
    coming, declined = ExperienceResourceFactory.create_batch(2)
    with django_capture_on_commit_callbacks(execute=True):
        events.invite(event, [coming, declined], actor=coordinator)
    events.answer(EventInvitation.objects.get(resource=declined), "no", actor=None)
    mail.outbox.clear()
    login(client, coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/samordning/traffar/{event.pk}/stall-in/", {"reason": "Lokalen är inte tillgänglig"})

    event.refresh_from_db()
    assert event.cancelled_at is not None
    assert [m.to for m in mail.outbox] == [[coming.email]]
    assert "Lokalen är inte tillgänglig" in mail.outbox[0].body
    assert "METHOD:CANCEL" in mail.outbox[0].attachments[0][1]


def test_cancel_requires_a_reason(client, coordinator, login, event):
    login(client, coordinator)
    client.post(f"/samordning/traffar/{event.pk}/stall-in/", {"reason": ""})
    event.refresh_from_db()
    assert event.cancelled_at is None


# --- access and queries ----------------------------------------------------------------


@pytest.mark.parametrize("who", ["resource", "unit_staff", "finance", "outsider"])
def test_only_coordinators_reach_event_pages(client, login, personas, event, who):
    login(client, personas[who])
    for url in [
        "/samordning/traffar/",
        "/samordning/traffar/ny/",
        f"/samordning/traffar/{event.pk}/",
        f"/samordning/traffar/{event.pk}/andra/",
    ]:
        assert client.get(url).status_code == 403
    for url in ["bjud-in", "narvaro", "stall-in"]:
        assert client.post(f"/samordning/traffar/{event.pk}/{url}/", {"reason": "x"}).status_code == 403
    event.refresh_from_db()
    assert event.cancelled_at is None


@pytest.mark.parametrize("rows", [1, 25])
def test_event_list_runs_a_fixed_number_of_queries(client, coordinator, login, rows):
    for _ in range(rows):
        event = EventFactory()
        events.invite(event, ExperienceResourceFactory.create_batch(2), actor=coordinator)
    login(client, coordinator)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/samordning/traffar/")
    assert response.status_code == 200
    assert len(response.context["events"]) == rows
    assert len(ctx.captured_queries) == 6


@pytest.mark.parametrize("rows", [1, 25])
def test_event_page_runs_a_fixed_number_of_queries(client, coordinator, login, event, rows):
    events.invite(event, ExperienceResourceFactory.create_batch(rows), actor=coordinator)
    login(client, coordinator)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/samordning/traffar/{event.pk}/")
    assert response.status_code == 200
    assert len(ctx.captured_queries) == 10
