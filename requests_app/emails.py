"""One function per e-mail about a care unit's request."""

from django.conf import settings
from django.urls import reverse

from notifications.services import queue_email
from requests_app.models import RequestMessage, UnitJoinRequest, UnitRequest


def unit_recipients(unit_request: UnitRequest) -> list[str]:
    addresses = [unit_request.contact_email, getattr(unit_request.created_by, "email", "")]
    return sorted({a.lower() for a in addresses if a})


def _coordinator_recipients(unit_request: UnitRequest) -> list[str]:
    if unit_request.responsible and unit_request.responsible.email:
        return [unit_request.responsible.email]
    return [settings.COORDINATORS_EMAIL]


def _send(to: list[str], *, key: str, template: str, context: dict) -> None:
    for address in to:
        queue_email(key=f"{key}:{address}", to=address, template=f"requests_app/email/{template}", context=context)


def unit_link(unit_request: UnitRequest) -> str:
    return settings.SITE_URL + reverse("requests_app:unit_request", args=[unit_request.pk])


def _coordinator_link(unit_request: UnitRequest) -> str:
    return settings.SITE_URL + reverse("requests_app:triage_detail", args=[unit_request.pk])


def send_request_received(unit_request: UnitRequest) -> None:
    _send(
        unit_recipients(unit_request),
        key=f"requests.received:{unit_request.pk}",
        template="request_received",
        context={"request": unit_request, "link": unit_link(unit_request)},
    )


def send_new_request_to_coordinators(unit_request: UnitRequest) -> None:
    _send(
        [settings.COORDINATORS_EMAIL],
        key=f"requests.new:{unit_request.pk}",
        template="new_request",
        context={"request": unit_request, "link": _coordinator_link(unit_request)},
    )


def send_message_to_unit(message: RequestMessage) -> None:
    unit_request = message.request
    _send(
        unit_recipients(unit_request),
        key=f"requests.message:{message.pk}",
        template="message_to_unit",
        context={"request": unit_request, "body": message.body, "link": unit_link(unit_request)},
    )


def send_message_to_coordinators(message: RequestMessage) -> None:
    unit_request = message.request
    _send(
        _coordinator_recipients(unit_request),
        key=f"requests.message:{message.pk}",
        template="message_from_unit",
        context={
            "request": unit_request,
            "body": message.body,
            "author": message.author,
            "link": _coordinator_link(unit_request),
        },
    )


def send_status_to_unit(unit_request: UnitRequest) -> None:
    _send(
        unit_recipients(unit_request),
        key=f"requests.status:{unit_request.pk}:{unit_request.status}",
        template="status_changed",
        context={"request": unit_request, "link": unit_link(unit_request)},
    )


def send_withdrawn_to_coordinators(unit_request: UnitRequest) -> None:
    _send(
        _coordinator_recipients(unit_request),
        key=f"requests.withdrawn:{unit_request.pk}",
        template="withdrawn",
        context={"request": unit_request, "link": _coordinator_link(unit_request)},
    )


def send_handed_over(unit_request: UnitRequest, *, by) -> None:
    _send(
        [unit_request.responsible.email],
        key=f"requests.handed_over:{unit_request.pk}:{unit_request.version}",
        template="handed_over",
        context={"request": unit_request, "by": by, "link": _coordinator_link(unit_request)},
    )


def send_unit_requested(join_request: UnitJoinRequest) -> None:
    _send(
        [settings.COORDINATORS_EMAIL],
        key=f"requests.unit_requested:{join_request.pk}",
        template="unit_requested",
        context={"join": join_request, "link": settings.SITE_URL + reverse("requests_app:unit_requests")},
    )


def send_join_to_unit_staff(join_request: UnitJoinRequest) -> None:
    """Someone asks to join the unit, and the region lets the unit's own staff approve it."""
    _send(
        sorted(join_request.unit.staff.filter(is_active=True).values_list("email", flat=True)),
        key=f"requests.join_requested:{join_request.pk}",
        template="join_requested",
        context={"join": join_request, "link": settings.SITE_URL + reverse("pages:unit_home")},
    )


def send_unit_decided(join_request: UnitJoinRequest) -> None:
    _send(
        [join_request.user.email],
        key=f"requests.unit_decided:{join_request.pk}",
        template="unit_decided",
        context={"join": join_request, "link": settings.SITE_URL + reverse("pages:unit_home")},
    )
