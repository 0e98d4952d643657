"""One function per e-mail to an experience resource."""

from django.utils import timezone

from notifications.services import queue_email
from registry.models import ExperienceResource


def send_application_received(resource: ExperienceResource) -> None:
    if not resource.email:
        return
    queue_email(
        key=f"registry.application_received:{resource.pk}",
        to=resource.email,
        template="registry/email/application_received",
        context={"resource": resource},
    )


def send_already_registered(resource: ExperienceResource) -> None:
    """Someone applied again with this address. Told by mail, never on the page (privacy)."""
    if not resource.email:
        return
    queue_email(
        key=f"registry.already_registered:{resource.pk}:{timezone.localdate():%Y%m%d}",
        to=resource.email,
        template="registry/email/already_registered",
        context={"resource": resource},
    )


def send_intake_booked(resource: ExperienceResource, ics: str) -> None:
    if not resource.email:
        return
    # A rebooking is a new mail; the key holds the time so the same booking is sent once.
    queue_email(
        key=f"registry.intake_booked:{resource.pk}:{resource.intake_at:%Y%m%d%H%M}",
        to=resource.email,
        template="registry/email/intake_booked",
        context={"resource": resource, "intake_local": timezone.localtime(resource.intake_at)},
        attachments=[{"filename": "introduktionssamtal.ics", "content": ics, "mimetype": "text/calendar"}],
    )


def send_activated(resource: ExperienceResource) -> None:
    if not resource.email:
        return
    queue_email(
        key=f"registry.activated:{resource.pk}",
        to=resource.email,
        template="registry/email/activated",
        context={"resource": resource},
    )
