"""Introduction trainings and network meetings: invite, answer, record who came.

Places are capacity: an answer of "yes" locks the event row and counts the places taken
before it is given, so two people answering at the same moment cannot both get the last
place. Whoever does not get a place is put on the waiting list and moves up, with a mail,
when someone who had a place says no.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import log_action
from notifications import links
from registry import emails
from registry.calendar import calendar_file
from registry.enums import RSVP, EventKind, ResourceStatus
from registry.models import Event, EventInvitation, ExperienceResource
from registry.services import record_training

SALT = "registry.event-invitation"
LINK_KIND = "event_answer"


class EventError(Exception):
    """Something that cannot be done with this event now (cancelled, already started, …)."""


# --- reads -----------------------------------------------------------------------------


def events_with_counts() -> QuerySet[Event]:
    return Event.objects.annotate(
        invited=Count("invitations"),
        coming=Count("invitations", filter=Q(invitations__response=RSVP.YES)),
        waiting=Count("invitations", filter=Q(invitations__response=RSVP.WAITLIST)),
        came=Count("invitations", filter=Q(invitations__attended=True)),
    )


def invitable(event: Event) -> QuerySet[ExperienceResource]:
    """Active people who are not away on the day and have not been invited yet."""
    day = timezone.localtime(event.starts_at).date()
    return (
        ExperienceResource.objects.filter(status=ResourceStatus.ACTIVE)
        .exclude(away_periods__starts_on__lte=day, away_periods__ends_on__gte=day)
        .exclude(event_invitations__event=event)
    )


def places_left(event: Event) -> int | None:
    if event.capacity is None:
        return None
    return max(event.capacity - event.invitations.filter(response=RSVP.YES).count(), 0)


def unanswered_invitations(resource: ExperienceResource) -> int:
    return resource.event_invitations.filter(
        response=RSVP.PENDING, event__cancelled_at__isnull=True, event__starts_at__gt=timezone.now()
    ).count()


def can_answer(event: Event) -> bool:
    return event.cancelled_at is None and event.starts_at > timezone.now()


# --- the signed link in the invitation mail --------------------------------------------


def answer_token(invitation: EventInvitation) -> str:
    return signing.dumps({"invitation": invitation.pk}, salt=SALT)


def invitation_from_token(token: str) -> EventInvitation | None:
    """The invitation behind a link, while the link lives: at most EVENT_LINK_MAX_DAYS after
    it was made, never after the event has ended, and never for someone who has left."""
    try:
        data = signing.loads(token, salt=SALT, max_age=timedelta(days=settings.EVENT_LINK_MAX_DAYS))
    except signing.BadSignature:  # SignatureExpired included
        return None
    invitation = EventInvitation.objects.select_related("event", "resource").filter(pk=data.get("invitation")).first()
    if invitation is None or invitation.event.ends_at < timezone.now():
        return None
    resource = invitation.resource
    if resource.erased_at is not None or resource.status == ResourceStatus.LEFT:
        return None
    return invitation


def answer_link(invitation: EventInvitation) -> str:
    return f"{settings.SITE_URL}/traff/{answer_token(invitation)}/"


def mailed_answer_link(invitation: EventInvitation) -> str:
    """The link as stored in the outbox: its token is made when the mail is sent (notifications.links)."""
    return f"{settings.SITE_URL}/traff/{links.placeholder(LINK_KIND, invitation.pk)}/"


def token_for_invitation(pk: int) -> str | None:
    invitation = EventInvitation.objects.filter(pk=pk).first()
    return answer_token(invitation) if invitation else None


def event_calendar(event: Event, *, cancelled: bool = False) -> dict:
    content = calendar_file(
        uid=f"event-{event.pk}",
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        place=event.place or event.link,
        summary=event.title,
        cancelled=cancelled,
    )
    return {"filename": "traff.ics", "content": content, "mimetype": "text/calendar"}


# --- writes -----------------------------------------------------------------------------


@transaction.atomic
def save_event(event: Event, *, actor, token=None) -> Event:
    """Creates or changes an event. A create with a token already used returns the event it made."""
    created = event.pk is None
    if not created and event.cancelled_at is not None:
        raise EventError(_("Träffen är inställd och kan inte ändras."))
    if created:
        if token and (earlier := Event.objects.filter(submission_token=token).first()):
            return earlier
        event.created_by = actor
        event.submission_token = token
    try:
        with transaction.atomic():
            event.save()
    except IntegrityError:
        if not (created and token):
            raise
        # The same form sent twice at the same moment: the other request made the event.
        return Event.objects.get(submission_token=token)
    log_action(
        "registry.event.created" if created else "registry.event.changed",
        actor=actor,
        obj=event,
        data={"title": event.title, "starts_at": event.starts_at.isoformat()},
    )
    return event


def invite(event: Event, resources: Iterable[ExperienceResource], *, actor) -> int:
    """Invites each person once; inviting the same people again sends nothing twice."""
    event.refresh_from_db(fields=["cancelled_at", "starts_at"])  # a colleague may have cancelled it meanwhile
    if not can_answer(event):
        raise EventError(_("Det går bara att bjuda in till träffar som inte har börjat och inte är inställda."))
    invited = 0
    for resource in resources:
        try:
            with transaction.atomic():
                invitation = EventInvitation.objects.create(event=event, resource=resource, invited_by=actor)
                emails.send_event_invitation(invitation, link=mailed_answer_link(invitation), calendar=event_calendar(event))
        except IntegrityError:
            continue  # already invited, by this run or by a colleague at the same moment
        invited += 1
    log_action("registry.event.invited", actor=actor, obj=event, data={"count": invited})
    return invited


@transaction.atomic
def answer(invitation: EventInvitation, response: str, *, actor) -> str:
    """Records yes or no. Returns what was recorded: a yes to a full event becomes the waiting list."""
    if response not in (RSVP.YES, RSVP.NO):
        raise EventError(_("Välj om du kommer eller inte."))
    event = Event.objects.select_for_update().get(pk=invitation.event_id)
    invitation = EventInvitation.objects.select_for_update().get(pk=invitation.pk)
    if not can_answer(event):
        raise EventError(_("Det går inte att svara längre: träffen har redan börjat eller är inställd."))
    previous = invitation.response
    if response == RSVP.YES and previous in (RSVP.YES, RSVP.WAITLIST):
        return previous
    if response == RSVP.YES and event.capacity is not None:
        taken = event.invitations.filter(response=RSVP.YES).count()
        if taken >= event.capacity:
            response = RSVP.WAITLIST
    invitation.response = response
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["response", "responded_at"])
    log_action(
        "registry.resource.event_answered",
        actor=actor,
        obj=invitation.resource,
        data={"event": event.title, "response": response},
    )
    if previous == RSVP.YES and response == RSVP.NO:
        _give_place_to_next(event)
    return response


def on_resource_erased(sender, *, resource: ExperienceResource, **kwargs) -> None:
    """The person has left and been erased: they give up every place and answer they had in
    events still to come, and the first on a waiting list moves up."""
    upcoming = resource.event_invitations.filter(event__cancelled_at__isnull=True, event__starts_at__gt=timezone.now()).exclude(
        response=RSVP.NO
    )
    for invitation in upcoming.select_related("event"):
        event = Event.objects.select_for_update().get(pk=invitation.event_id)
        had_place = invitation.response == RSVP.YES
        invitation.response = RSVP.NO
        invitation.responded_at = timezone.now()
        invitation.save(update_fields=["response", "responded_at"])
        if had_place:
            _give_place_to_next(event)


def _give_place_to_next(event: Event) -> None:
    waiting = event.invitations.filter(response=RSVP.WAITLIST).order_by("responded_at", "pk").select_related("resource")
    first = waiting.first()
    if first is None:
        return
    first.response = RSVP.YES
    first.save(update_fields=["response"])
    log_action("registry.resource.event_place_given", obj=first.resource, data={"event": event.title})
    emails.send_event_place_given(first, link=mailed_answer_link(first))


@transaction.atomic
def record_attendance(event: Event, attended_ids: set[int], *, actor) -> None:
    """Marks who came. People who came to an introduction training get it on their record."""
    if event.starts_at > timezone.now():
        raise EventError(_("Närvaro kan registreras först när träffen har börjat."))
    if event.cancelled_at is not None:
        raise EventError(_("Träffen är inställd."))
    day = timezone.localtime(event.starts_at).date()
    for invitation in event.invitations.select_related("resource").select_for_update():
        came = invitation.pk in attended_ids
        if invitation.attended != came:
            invitation.attended = came
            invitation.save(update_fields=["attended"])
        resource = invitation.resource
        if came and event.kind == EventKind.TRAINING and resource.training_completed_on is None:
            record_training(resource, actor=actor, completed_on=day)
    log_action("registry.event.attendance_recorded", actor=actor, obj=event, data={"count": len(attended_ids)})


@transaction.atomic
def cancel_event(event: Event, *, actor, reason: str) -> None:
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if locked.cancelled_at is not None:
        return
    event.cancelled_at = timezone.now()
    event.save(update_fields=["cancelled_at"])
    log_action("registry.event.cancelled", actor=actor, obj=event, data={"reason": reason})
    calendar = event_calendar(event, cancelled=True)
    for invitation in event.invitations.exclude(response=RSVP.NO).select_related("resource"):
        emails.send_event_cancelled(invitation, reason=reason, calendar=calendar)
