"""One function per e-mail to an experience resource."""

from django.conf import settings
from django.utils import timezone

from notifications.services import queue_email
from registry.models import EventInvitation, ExperienceResource


def _send(resource: ExperienceResource, *, key: str, template: str, context=None, attachments=()) -> None:
    # People registered without an e-mail address are reached by phone instead.
    if not resource.email:
        return
    queue_email(
        key=key,
        to=resource.email,
        template=f"registry/email/{template}",
        context={"resource": resource, **(context or {})},
        attachments=attachments,
    )


def send_application_received(resource: ExperienceResource) -> None:
    _send(resource, key=f"registry.application_received:{resource.pk}", template="application_received")


def send_already_registered(resource: ExperienceResource) -> None:
    """Someone applied again with this address. Told by mail, never on the page (privacy)."""
    _send(
        resource,
        key=f"registry.already_registered:{resource.pk}:{timezone.localdate():%Y%m%d}",
        template="already_registered",
    )


def send_application_for_existing_account(user) -> None:
    """Someone applied with the address of an existing account. Nothing was stored or changed;
    the owner is told by mail and decides, and the page looks the same as always (privacy)."""
    queue_email(
        key=f"registry.application_for_account:{user.pk}:{timezone.localdate():%Y%m%d}",
        to=user.email,
        template="registry/email/application_for_existing_account",
        context={"user": user, "coordinators_email": settings.COORDINATORS_EMAIL},
    )


def send_intake_booked(resource: ExperienceResource, ics: str) -> None:
    # A rebooking is a new mail; the key holds the time so the same booking is sent once.
    _send(
        resource,
        key=f"registry.intake_booked:{resource.pk}:{resource.intake_at:%Y%m%d%H%M}",
        template="intake_booked",
        context={"intake_local": timezone.localtime(resource.intake_at)},
        attachments=[{"filename": "introduktionssamtal.ics", "content": ics, "mimetype": "text/calendar"}],
    )


def send_activated(resource: ExperienceResource) -> None:
    _send(resource, key=f"registry.activated:{resource.pk}", template="activated")


def send_yearly_check(resource: ExperienceResource, *, year: int, link: str) -> None:
    _send(resource, key=f"registry.yearly_check:{resource.pk}:{year}", template="yearly_check", context={"link": link})


def _event_context(invitation: EventInvitation) -> dict:
    event = invitation.event
    return {"event": event, "starts_local": timezone.localtime(event.starts_at), "ends_local": timezone.localtime(event.ends_at)}


def send_event_invitation(invitation: EventInvitation, *, link: str, calendar: dict) -> None:
    _send(
        invitation.resource,
        key=f"registry.event_invitation:{invitation.pk}",
        template="event_invitation",
        context={**_event_context(invitation), "link": link},
        attachments=[calendar],
    )


def send_event_place_given(invitation: EventInvitation, *, link: str) -> None:
    _send(
        invitation.resource,
        key=f"registry.event_place_given:{invitation.pk}",
        template="event_place_given",
        context={**_event_context(invitation), "link": link},
    )


def send_event_cancelled(invitation: EventInvitation, *, reason: str, calendar: dict) -> None:
    _send(
        invitation.resource,
        key=f"registry.event_cancelled:{invitation.pk}",
        template="event_cancelled",
        context={**_event_context(invitation), "reason": reason},
        attachments=[calendar],
    )
